// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Budget, LabDetail, LabQuery } from '../components/data/types';
import { setupI18n } from '../i18n';
import type { Me } from '../session';
import { LabResult, Labs } from './Labs';

const me: Me = {
  user: { id: 'usr_grace', email: 'grace@uni.example', name: 'Grace' },
  organisation: {
    id: 'org_uni',
    slug: 'uni',
    name: 'Harbour University',
    kinds: ['consumer'],
    status: 'active',
  },
  role: 'member',
  memberships: [],
};

/** The hospital's administrator: its organisation provides data, so it may open and own labs. */
const hospitalAdmin: Me = {
  user: { id: 'usr_ada', email: 'ada@hospital.example', name: 'Ada' },
  organisation: {
    id: 'org_hospital',
    slug: 'hospital',
    name: 'Harbour Hospital',
    kinds: ['provider'],
    status: 'active',
  },
  role: 'admin',
  memberships: [],
};

let signedIn = me;

vi.mock('../session', async (original) => ({
  ...(await original<typeof import('../session')>()),
  useMe: () => signedIn,
}));

const wrap = (children: ReactNode, language: 'en' | 'zh-HK' = 'en') => (
  <I18nextProvider i18n={setupI18n(language)}>{children}</I18nextProvider>
);

/** Two districts: Sha Tin's count is a measurement, Tai O's interval reaches past zero. */
const query: LabQuery = {
  id: 'lqr_1',
  labId: 'lab_1',
  orgId: 'org_uni',
  userId: 'usr_grace',
  sql: 'SELECT district, count(DISTINCT subject_key) AS n FROM visits GROUP BY district',
  sqlSha256: 'abc',
  epsilon: 0.5,
  datasets: [],
  state: 'released',
  result: {
    columns: [
      { name: 'district', kind: 'dimension' },
      { name: 'n', kind: 'count-subjects' },
    ],
    rows: [
      ['Sha Tin', 420],
      ['Tai O', 11],
    ],
    intervals: [
      [null, 11.98],
      [null, 11.98],
    ],
    noiseScales: { __subjects: 4, n: 4 },
  },
  reviewReason: null,
  createdAt: '2026-12-05T02:00:00.000Z',
};

const budget: Budget = { scope: 'analyst', total: 3, spent: 1, remaining: 2 };

const detail: LabDetail = {
  lab: {
    id: 'lab_1',
    orgId: 'org_hospital',
    name: 'Visits lab',
    description: null,
    minGroupSize: 10,
    epsilonBudget: 3,
    defaultEpsilon: 0.5,
    maxRowsPerSubject: 1,
    maxGroupsPerSubject: 1,
    minEpsilon: 0.01,
    budgetScope: 'analyst',
    outputReview: false,
    createdAt: '2026-12-01T02:00:00.000Z',
  },
  members: [
    {
      labId: 'lab_1',
      orgId: 'org_uni',
      role: 'researcher',
      agreementId: null,
      endsAt: null,
      createdAt: '2026-12-01T02:00:00.000Z',
    },
  ],
  datasets: [],
};

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ type: 'about:blank', status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  signedIn = me;
});

describe('LabResult', () => {
  it('shows each noisy value with its 95% interval and flags in words those that are mostly noise', () => {
    render(
      wrap(
        <LabResult query={query} budget={budget} minGroupSize={10} canReview={false} onReview={() => {}} />,
      ),
    );
    const rows = screen.getAllByRole('row');
    expect(rows[1]!.textContent).toBe('Sha Tin420 ± 11.98');
    expect(rows[2]!.textContent).toBe('Tai O11 ± 11.98 (noise as large as the value)');
    expect(screen.getByText(/1 of 2 values is mostly noise/)).toBeTruthy();
    // The scale the mechanism used, and the half-width it gives: b · ln 20.
    expect(screen.getByText(/subject count: b = 4, ± 11.98; n: b = 4, ± 11.98/)).toBeTruthy();
    expect(screen.getByText('This query spent ε 0.5. Your budget now: 2 of 3 remains.')).toBeTruthy();
  });

  it('flags nothing when every interval is narrower than its value', () => {
    const clear = {
      ...query,
      result: { ...query.result, rows: [['Sha Tin', 420]], intervals: [[null, 11.98]] },
    };
    render(
      wrap(
        <LabResult query={clear} budget={budget} minGroupSize={10} canReview={false} onReview={() => {}} />,
      ),
    );
    expect(screen.queryByText(/mostly noise/)).toBeNull();
    expect(screen.queryByText(/noise as large as the value/)).toBeNull();
  });

  it("gives a mean's scale as its sum's, not as a half-width the mean does not have", () => {
    const withMean: LabQuery = {
      ...query,
      result: {
        columns: [...query.result.columns, { name: 'mean_age', kind: 'avg' }],
        rows: [['Sha Tin', 420, 61.2]],
        intervals: [[null, 11.98, 2.4]],
        noiseScales: { __subjects: 4, n: 4, mean_age: 20 },
      },
    };
    render(
      wrap(
        <LabResult
          query={withMean}
          budget={budget}
          minGroupSize={10}
          canReview={false}
          onReview={() => {}}
        />,
      ),
    );
    expect(screen.getAllByRole('row')[1]!.textContent).toBe('Sha Tin420 ± 11.9861.2 ± 2.4');
    const scales = screen.getByText(/Laplace noise scale b/).textContent ?? '';
    expect(scales).toContain('mean_age: b = 20 on its sum');
    expect(scales).not.toContain('± 59.91');
  });

  it('says it in Chinese too', () => {
    render(
      wrap(
        <LabResult query={query} budget={budget} minGroupSize={10} canReview={false} onReview={() => {}} />,
        'zh-HK',
      ),
    );
    expect(screen.getAllByRole('row')[2]!.textContent).toContain('噪聲與數值一樣大');
    expect(screen.getByText(/2 個數值中有 1 個主要是噪聲/)).toBeTruthy();
  });
});

describe('Labs', () => {
  function stubPlatform() {
    const run = vi.fn(() => json(query));
    // The typed client sends a Request; the older helpers a URL and its options.
    const fetchMock = vi.fn(async (input: string | Request, init?: RequestInit) => {
      const request = typeof input === 'string' ? new Request(new URL(input, location.origin), init) : input;
      const key = `${request.method} ${new URL(request.url).pathname}`;
      if (key === 'POST /v1/labs/lab_1/queries') return run();
      if (key === 'GET /v1/labs') return json({ items: [detail.lab] });
      if (key === 'GET /v1/labs/lab_1') return json(detail);
      if (key === 'GET /v1/labs/lab_1/budget') return json(budget);
      if (key === 'GET /v1/labs/lab_1/queries') return json({ items: [] });
      if (key.startsWith('GET /v1/orgs')) return json({ items: [] });
      throw new Error(`unexpected ${key}`);
    });
    vi.stubGlobal('fetch', fetchMock);
    return run;
  }

  it('explains ε where it is spent and asks, with the amount and what would remain, before a query spends it', async () => {
    const run = stubPlatform();
    render(wrap(<Labs />));
    await screen.findByText('Spent 1 of 3; 2 remaining.', { exact: false });
    expect(screen.getAllByText(/ε \(epsilon\) is how much a released result may reveal/)).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('Clean-room SQL'), { target: { value: query.sql } });
    fireEvent.change(screen.getByLabelText('ε to spend'), { target: { value: '0.75' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run with noise' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Spend ε 0.75 on this query?' });
    expect(dialog.textContent).toContain('spends ε 0.75 of the 2 you have left, leaving 1.25 of 3');
    expect(dialog.textContent).toContain('ε (epsilon) is how much');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(run).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Run with noise' }));
    fireEvent.click(screen.getByRole('button', { name: 'Spend ε 0.75 and run' }));
    await screen.findByText(/noise as large as the value/);
    expect(run).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });

  it('warns in the confirmation when the query asks for more ε than remains', async () => {
    stubPlatform();
    render(wrap(<Labs />));
    await screen.findByText('Spent 1 of 3; 2 remaining.', { exact: false });
    fireEvent.change(screen.getByLabelText('Clean-room SQL'), { target: { value: query.sql } });
    fireEvent.change(screen.getByLabelText('ε to spend'), { target: { value: '2.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run with noise' }));
    expect(screen.getByRole('alertdialog').textContent).toContain(
      'more than the 2 remaining: the lab will refuse the query',
    );
  });
});

describe('Labs for a lab owner', () => {
  const owned: LabDetail = {
    ...detail,
    members: [
      {
        labId: 'lab_1',
        orgId: 'org_hospital',
        role: 'owner',
        agreementId: null,
        endsAt: null,
        createdAt: '2026-12-01T02:00:00.000Z',
      },
      {
        labId: 'lab_1',
        orgId: 'org_uni',
        role: 'researcher',
        agreementId: null,
        endsAt: null,
        createdAt: '2026-12-01T02:00:00.000Z',
      },
    ],
  };
  const entry = (id: string, name: string) => ({ id, slug: id, name, roles: [], kinds: [] });

  function stubOwner(answers: { create?: (body: unknown) => Response } = {}) {
    const calls: { key: string; body: unknown }[] = [];
    let members = owned.members;
    // The typed client sends a Request; the older helpers a URL and its options.
    const fetchMock = vi.fn(async (input: string | Request, init?: RequestInit) => {
      const request = typeof input === 'string' ? new Request(new URL(input, location.origin), init) : input;
      const url = new URL(request.url);
      const key = `${request.method} ${url.pathname}${url.search}`;
      const text = await request.text();
      const body = text ? JSON.parse(text) : undefined;
      calls.push({ key, body });
      if (key === 'POST /v1/labs' && answers.create) return answers.create(body);
      if (key === 'POST /v1/labs/lab_1/members') {
        const seat = { labId: 'lab_1', ...body, endsAt: null, createdAt: '2026-12-06T02:00:00.000Z' };
        members = [...members, seat];
        return json(seat);
      }
      if (key === 'GET /v1/labs') return json({ items: [detail.lab] });
      if (key === 'GET /v1/labs/lab_1') return json({ ...owned, members });
      if (key === 'GET /v1/labs/lab_1/budget') return json(budget);
      if (key === 'GET /v1/labs/lab_1/queries') return json({ items: [] });
      if (key === 'GET /v1/labs/lab_1/models' || key === 'GET /v1/labs/lab_1/jobs')
        return json({ items: [] });
      if (key === 'GET /v1/directory')
        return json({
          items: [
            entry('org_hospital', 'Harbour Hospital'),
            entry('org_uni', 'Harbour University'),
            entry('org_clinic', 'Kowloon Clinic'),
          ],
        });
      if (key.startsWith('GET /v1/orgs')) return json({ items: [] });
      throw new Error(`unexpected ${key}`);
    });
    vi.stubGlobal('fetch', fetchMock);
    return calls;
  }

  it('offers opening a lab only to an administrator of a data provider', async () => {
    stubOwner();
    render(wrap(<Labs />));
    await screen.findByText('Spent 1 of 3; 2 remaining.', { exact: false });
    expect(screen.queryByText('Open a new lab')).toBeNull();
    cleanup();
    signedIn = hospitalAdmin;
    stubOwner();
    render(wrap(<Labs />));
    expect(await screen.findByText('Open a new lab')).toBeTruthy();
  });

  it("shows the platform's field errors beside the fields, then opens the lab and says so", async () => {
    signedIn = hospitalAdmin;
    const calls = stubOwner({
      create: (body) =>
        (body as { name: string }).name
          ? json({ ...detail, lab: { ...detail.lab, id: 'lab_1', name: 'Wards lab' } })
          : problem(400, {
              code: 'validation-failed',
              title: 'Validation failed',
              detail: 'body/name must NOT have fewer than 1 characters',
              errors: [{ field: 'body/name', message: 'must NOT have fewer than 1 characters' }],
            }),
    });
    render(wrap(<Labs />));
    fireEvent.click(await screen.findByText('Open a new lab'));
    fireEvent.change(screen.getByLabelText(/ε budget per budget holder/), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open the lab' }));
    const name = screen.getByRole('textbox', { name: /^Lab name/ });
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    const described = name.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(described)?.textContent).toBe('must NOT have fewer than 1 characters');
    fireEvent.change(name, { target: { value: 'Wards lab' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open the lab' }));
    expect(await screen.findByText(/The lab “Wards lab” is open/)).toBeTruthy();
    expect(calls.filter((call) => call.key === 'POST /v1/labs').map((call) => call.body)).toEqual([
      { name: '', epsilonBudget: 2 },
      { name: 'Wards lab', epsilonBudget: 2 },
    ]);
    expect(name.getAttribute('aria-invalid')).toBeNull();
  });

  it('seats an organisation from the directory only after saying what its role allows and that it stays', async () => {
    signedIn = hospitalAdmin;
    const calls = stubOwner();
    render(wrap(<Labs />));
    const org = await screen.findByRole('combobox', { name: 'Organisation' });
    await screen.findByRole('option', { name: 'Kowloon Clinic' });
    // Organisations already in the lab are not offered again.
    expect(within(org).queryByRole('option', { name: 'Harbour University' })).toBeNull();
    expect(within(org).queryByRole('option', { name: 'Harbour Hospital' })).toBeNull();
    fireEvent.change(org, { target: { value: 'org_clinic' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Role' }), { target: { value: 'data-owner' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add to the lab' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Seat Kowloon Clinic in this lab?' });
    expect(dialog.textContent).toContain('Kowloon Clinic will be a data owner');
    expect(dialog.textContent).toContain('cannot be removed or changed');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((call) => call.key === 'POST /v1/labs/lab_1/members')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Add to the lab' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add as data owner' }));
    expect(await screen.findByText('Kowloon Clinic is now in the lab as data owner.')).toBeTruthy();
    expect(
      calls.filter((call) => call.key === 'POST /v1/labs/lab_1/members').map((call) => call.body),
    ).toEqual([{ orgId: 'org_clinic', role: 'data-owner' }]);
    // The members table is read again and shows the new seat.
    await waitFor(() =>
      expect(screen.getAllByRole('row').some((row) => row.textContent?.includes('org_clinic'))).toBe(true),
    );
  });

  it('shows no seat form to a researcher', async () => {
    stubOwner();
    render(wrap(<Labs />));
    await screen.findByText('Spent 1 of 3; 2 remaining.', { exact: false });
    expect(screen.queryByRole('button', { name: 'Add to the lab' })).toBeNull();
  });
});
