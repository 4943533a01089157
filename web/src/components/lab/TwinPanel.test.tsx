// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import { type Twin, TwinPanel } from './TwinPanel';

const i18n = setupI18n('en');
const wrap = (children: ReactNode) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const ready: Twin = {
  id: 'ltw_1',
  datasetName: 'patients',
  versionId: 'dsv_2',
  state: 'ready',
  progress: 1,
  epsilon: 1,
  delta: 1e-6,
  error: null,
  createdAt: '2026-12-06T01:00:00Z',
  report: {
    rows: 6000,
    noisyRows: 6003,
    tree: [['sex', 'age']],
    marginals: [
      { columns: ['sex'], cells: 2, noiseStd: 17, measuredError: 0.0123, statedBound: 0.08 },
      { columns: ['sex', 'age'], cells: 34, noiseStd: 9, measuredError: 0.0456 },
    ],
    privacy: { epsilon: 0.999, accountant: 'zcdp' },
  },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('TwinPanel', () => {
  it('shows the utility report and downloads, and generates only after confirming the ε it spends', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith('/twin/budget')) return json({ total: 3, spent: 1, remaining: 2 });
      if (init?.method === 'POST') return json({ ...ready, id: 'ltw_2', state: 'running', progress: 0 }, 202);
      return json({ twin: ready, ready });
    });
    vi.stubGlobal('fetch', fetchMock);
    render(wrap(<TwinPanel labId="lab_1" datasetName="patients" isDataOwner defaultEpsilon={0.5} />));
    expect(await screen.findByText('Measured L1 error (noisy)')).toBeTruthy();
    expect(screen.getByText('sex × age')).toBeTruthy();
    expect(screen.getByText('0.0123')).toBeTruthy();
    expect(screen.getByText('0.08')).toBeTruthy();
    // Each marginal's Gaussian noise as a 95% half-width: 1.96 · σ.
    expect(screen.getByText('± 33.32')).toBeTruthy();
    expect(screen.getByText('± 17.64')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(
      '/v1/labs/lab_1/datasets/patients/twin/data?format=csv',
    );
    expect(screen.getByRole('link', { name: 'Download Parquet' }).getAttribute('href')).toContain(
      'format=parquet',
    );
    await screen.findByText(/2 of 3 left/);

    fireEvent.change(screen.getByLabelText('ε'), { target: { value: '0.75' } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate a twin' }));
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    expect(screen.getByText(/This spends ε = 0.75 from your budget/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Spend ε 0.75 and generate' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const [url, init] = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(url).toContain('/v1/labs/lab_1/datasets/patients/twin');
    expect(JSON.parse(String(init!.body))).toEqual({ epsilon: 0.75 });
  });

  it('offers no generation to a member who is not the data owner', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url.endsWith('/budget')
          ? json({ total: 3, spent: 0, remaining: 3 })
          : json({ twin: null, ready: null }),
      ),
    );
    render(wrap(<TwinPanel labId="lab_1" datasetName="patients" isDataOwner={false} defaultEpsilon={0.5} />));
    expect(await screen.findByText('No twin yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Generate a twin' })).toBeNull();
  });
});

describe('TwinPanel budget', () => {
  it("lets the data owner set the twins' ε budget, showing the platform's refusal beside the field", async () => {
    const puts: unknown[] = [];
    let total = 3;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url.endsWith('/twin/budget') && init?.method === 'PUT') {
          const body = JSON.parse(String(init.body)) as { total: number };
          puts.push(body);
          if (body.total > 5)
            return new Response(
              JSON.stringify({
                status: 400,
                code: 'validation-failed',
                title: 'Validation failed',
                detail: "total: must be above 0 and at most the lab's budget 5",
                errors: [{ field: 'total', message: "must be above 0 and at most the lab's budget 5" }],
              }),
              { status: 400, headers: { 'content-type': 'application/problem+json' } },
            );
          total = body.total;
          return json({ scope: 'dataset-owner', datasetId: 'ds_1', total, spent: 1, remaining: total - 1 });
        }
        if (url.endsWith('/twin/budget')) return json({ total, spent: 1, remaining: total - 1 });
        return json({ twin: null, ready: null });
      }),
    );
    render(wrap(<TwinPanel labId="lab_1" datasetName="patients" isDataOwner defaultEpsilon={0.5} />));
    const field = await screen.findByLabelText("Total ε for this dataset's twins");
    fireEvent.change(field, { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set the twin budget' }));
    expect(await screen.findByText("must be above 0 and at most the lab's budget 5")).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(field, { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set the twin budget' }));
    expect(await screen.findByText('The twin budget is now 4: 1 spent, 3 left.')).toBeTruthy();
    await screen.findByText(/3 of 4 left/);
    expect(puts).toEqual([{ total: 8 }, { total: 4 }]);
  });

  it('offers no budget form to other members', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url.endsWith('/twin/budget')
          ? json({ total: 3, spent: 1, remaining: 2 })
          : json({ twin: null, ready: null }),
      ),
    );
    render(wrap(<TwinPanel labId="lab_1" datasetName="patients" isDataOwner={false} defaultEpsilon={0.5} />));
    await screen.findByText(/2 of 3 left/);
    expect(screen.queryByRole('button', { name: 'Set the twin budget' })).toBeNull();
  });
});
