// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import { type LabJob, type LabModel, ModelsPanel } from './ModelsPanel';

const i18n = setupI18n('en');
const wrap = (children: ReactNode) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const running: LabJob = {
  id: 'ljb_1',
  orgId: 'org_r',
  spec: { name: 'bp-model', model: { kind: 'linear-regression' } },
  specSha256: 'a'.repeat(64),
  epsilon: 0.5,
  delta: 1e-6,
  state: 'running',
  progress: 0.4,
  error: null,
  modelId: null,
  createdAt: '2026-12-06T01:00:00Z',
  finishedAt: null,
};

const released: LabModel = {
  id: 'lmd_1',
  orgId: 'org_r',
  name: 'diabetes-risk',
  version: 1,
  state: 'released',
  createdAt: '2026-12-06T01:00:00Z',
  publication: { apiId: 'api_1', slug: 'diabetes-risk', isRetired: false },
  card: {
    name: 'diabetes-risk',
    version: 1,
    kind: 'logistic-regression',
    target: 'diabetes = true',
    intercept: -9.1,
    coefficients: { age: 0.0412, hba1c: 0.8765 },
    features: [
      { column: 'age', lower: 20, upper: 90 },
      { column: 'hba1c', lower: 4, upper: 12 },
    ],
    metrics: { auc: 0.81, testRows: 1000 },
    privacy: { epsilon: 0.99, delta: 1e-6, mechanism: 'dp-sgd' },
    datasets: [{ name: 'patients', datasetId: 'ds_1', versionId: 'dsv_1' }],
    specSha256: 'b'.repeat(64),
    spec: { name: 'diabetes-risk' },
  },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ModelsPanel', () => {
  it('shows jobs with their progress and cancels one only after confirming', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') return json({ ...running, state: 'cancelled' });
      if (url.endsWith('/jobs')) return json({ items: [running] });
      return json({ items: [released] });
    });
    vi.stubGlobal('fetch', fetchMock);
    render(wrap(<ModelsPanel labId="lab_1" myOrgId="org_r" isOwner={false} isResearcherOnly />));
    expect(await screen.findByText('40%')).toBeTruthy();
    expect(screen.getByText('Running')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    expect(screen.getByText(/Its ε \(0.5\) stays spent/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel the job' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const [url] = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(url).toBe('/v1/labs/lab_1/jobs/ljb_1/cancel');
    // A researcher is offered no publication.
    expect(screen.queryByRole('button', { name: 'Unpublish' })).toBeNull();
  });

  it('shows the model card and lets the lab owner unpublish after confirming', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') return json({ apiId: 'api_1', slug: 'diabetes-risk', isRetired: true });
      if (url.endsWith('/jobs')) return json({ items: [] });
      return json({ items: [released] });
    });
    vi.stubGlobal('fetch', fetchMock);
    render(wrap(<ModelsPanel labId="lab_1" myOrgId="org_h" isOwner isResearcherOnly={false} />));
    const card = await screen.findByRole('article', { name: 'Model card of diabetes-risk' });
    const coefficients = within(card).getByRole('table');
    expect(within(coefficients).getByText('hba1c')).toBeTruthy();
    expect(within(coefficients).getByText('0.8765')).toBeTruthy();
    expect(within(card).getByText(/served at POST \/gw\/diabetes-risk\/predict/)).toBeTruthy();
    expect(within(card).getByText(/epsilon 0.99/)).toBeTruthy();
    expect(within(card).getByText('patients@dsv_1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Unpublish' }));
    fireEvent.click(screen.getByRole('button', { name: 'Unpublish the API' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const [url] = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(url).toBe('/v1/labs/lab_1/models/lmd_1/unpublish');
  });
});
