// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import { chartRows, numericColumns } from './QuickChart';
import { RequestWizard } from './RequestWizard';
import type { Dataset, DatasetColumn } from './types';

const column = (name: string, type: string, suggested: DatasetColumn['suggested']): DatasetColumn => ({
  name,
  type,
  suggested,
  reasons: [],
  explanations: [],
  classification: suggested,
  quasiIdentifier: false,
  description: null,
  statistics: { nullCount: 0, distinctApprox: 1, min: null, max: null, mean: null },
});

const dataset = {
  id: 'ds_1',
  title: 'Customers',
  currentVersion: {
    columns: [column('customer_email', 'VARCHAR', 'personal'), column('district', 'VARCHAR', 'public')],
  },
} as unknown as Dataset;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the request-access wizard', () => {
  it('walks purpose, columns, duration and review, then posts what was chosen', async () => {
    const fetchMock = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ id: 'arq_1', state: 'pending' }), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const onSent = vi.fn();
    render(
      <I18nextProvider i18n={setupI18n('en')}>
        <RequestWizard dataset={dataset} onSent={onSent} onCancel={() => undefined} />
      </I18nextProvider>,
    );
    const next = () => fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    next();
    expect(screen.getByRole('alert').textContent).toBe('Choose a purpose.');
    fireEvent.change(screen.getByRole('combobox', { name: /^Purpose/ }), { target: { value: 'research' } });
    fireEvent.change(screen.getByLabelText('What you will do with the data'), {
      target: { value: 'District patterns' },
    });
    next();

    expect(screen.getByRole('heading', { name: 'Step 2 of 4: Columns' })).toBeTruthy();
    // A personal column starts unticked: asked for only on purpose.
    expect((screen.getByRole('checkbox', { name: /customer_email/ }) as HTMLInputElement).checked).toBe(
      false,
    );
    expect((screen.getByRole('checkbox', { name: /district/ }) as HTMLInputElement).checked).toBe(true);
    next();

    fireEvent.click(screen.getByRole('button', { name: '30 days' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Yes, query and download' }));
    next();

    expect(screen.getByText('district').className).toContain('mono');
    fireEvent.click(screen.getByRole('button', { name: 'Send the request' }));
    await vi.waitFor(() => expect(onSent).toHaveBeenCalled());
    const request = fetchMock.mock.calls[0]![0] as Request;
    expect(`${request.method} ${new URL(request.url).pathname}`).toBe('POST /v1/access-requests');
    expect(await request.json()).toEqual({
      datasetId: 'ds_1',
      purpose: 'research',
      purposeText: 'District patterns',
      columns: ['district'],
      durationDays: 30,
      wantsDownload: true,
    });
  });
});

describe('the quick chart', () => {
  const columns = [
    { name: 'district', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'total', type: 'DECIMAL(18,2)' },
    { name: 'label', type: 'VARCHAR' },
  ];
  const rows = [
    ['Sha Tin', '12', '10.50', 'a'],
    ['Tai Po', '7', null, 'b'],
  ];

  it('offers numeric columns (big integers arrive as text) and turns rows into chart points', () => {
    expect(numericColumns(columns, rows)).toEqual(['n', 'total']);
    expect(chartRows(columns, rows, 'district', 'total')).toEqual([
      { district: 'Sha Tin', total: 10.5 },
      { district: 'Tai Po', total: null },
    ]);
  });
});
