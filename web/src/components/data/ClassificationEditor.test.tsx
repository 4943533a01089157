// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import { ClassificationEditor } from './ClassificationEditor';
import type { Dataset, DatasetColumn } from './types';

const statistics = { nullCount: 0, distinctApprox: 3, min: null, max: null, mean: null };
const columns: DatasetColumn[] = [
  {
    name: 'diagnosis_code',
    type: 'VARCHAR',
    suggested: 'sensitive',
    reasons: ['100% of sampled values look like ICD-10 diagnosis codes'],
    explanations: [
      {
        rule: 'icd10',
        share: 1,
        en: '100% of sampled values look like ICD-10 diagnosis codes',
        'zh-HK': '100% 的抽樣值看似ICD-10 診斷編碼',
      },
    ],
    classification: null,
    quasiIdentifier: false,
    description: null,
    statistics,
  },
  {
    name: 'district',
    type: 'VARCHAR',
    suggested: 'public',
    reasons: [],
    explanations: [],
    classification: null,
    quasiIdentifier: true,
    description: null,
    statistics,
  },
];
const dataset = {
  id: 'ds_1',
  currentVersion: { id: 'dsv_1', columns, confirmedAt: null },
} as unknown as Dataset;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the classification editor', () => {
  it("shows why each column was suggested in the reader's language, and sends the quasi-identifiers", async () => {
    const fetchMock = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify(dataset), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const onConfirmed = vi.fn();
    render(
      <I18nextProvider i18n={setupI18n('zh-HK')}>
        <ClassificationEditor dataset={dataset} onConfirmed={onConfirmed} />
      </I18nextProvider>,
    );
    expect(screen.getByText('100% 的抽樣值看似ICD-10 診斷編碼')).toBeTruthy();
    expect(screen.queryByText('100% of sampled values look like ICD-10 diagnosis codes')).toBeNull();
    const quasi = screen.getByRole('checkbox', { name: 'district 是準識別符' }) as HTMLInputElement;
    expect(quasi.checked).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'diagnosis_code 是準識別符' }));
    fireEvent.click(quasi);
    fireEvent.submit(screen.getByRole('button', { name: /確認/ }).closest('form')!);
    await vi.waitFor(() => expect(onConfirmed).toHaveBeenCalled());
    const [path, init] = fetchMock.mock.calls[0]!;
    expect(path).toBe('/v1/datasets/ds_1/classifications');
    expect(JSON.parse(String(init?.body))).toMatchObject({
      columns: { diagnosis_code: 'sensitive', district: 'public' },
      quasiIdentifiers: { diagnosis_code: true, district: false },
    });
  });
});
