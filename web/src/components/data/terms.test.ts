import { describe, expect, it } from 'vitest';
import { setupI18n } from '../../i18n';
import {
  bandWidthFor,
  buildOverrides,
  initialDraft,
  lastRequestedDay,
  type TermsDraft,
  termsInWords,
} from './terms';
import type { AgreementTerms, DatasetColumn } from './types';

const now = new Date('2026-03-10T09:00:00');
const request = {
  columns: ['customer_email', 'district', 'balance_hkd'],
  durationDays: 30,
  wantsDownload: false,
};
const types = { customer_email: 'VARCHAR', district: 'VARCHAR', balance_hkd: 'BIGINT' };
const lastDay = lastRequestedDay(30, now);

function draft(change: Partial<TermsDraft> = {}): TermsDraft {
  return { ...initialDraft(request, now, 'hong-kong'), ...change };
}

describe('approval terms from the editor', () => {
  it('grants the request as asked by default, without an expiry of its own', () => {
    expect(lastDay).toBe('2026-04-09');
    const built = buildOverrides(draft(), types, lastDay);
    expect(built).toEqual({
      overrides: {
        actions: ['query'],
        columns: ['customer_email', 'district', 'balance_hkd'],
        masks: {},
        rowFilter: [],
        aggregateOnly: false,
        minGroupSize: null,
        maxQueries: null,
        maxRowsPerQuery: 10000,
        regions: ['hong-kong'],
      },
    });
  });

  it('builds masks, typed filter values, limits and an earlier expiry', () => {
    const built = buildOverrides(
      draft({
        columns: ['customer_email', 'balance_hkd', 'district'],
        masks: {
          customer_email: { kind: 'hash', unit: 'month', width: '', n: '' },
          balance_hkd: { kind: 'band', unit: 'month', width: '5000', n: '' },
          // masks of columns left out are dropped
          other: { kind: 'redact', unit: 'month', width: '', n: '' },
        },
        rowFilter: [
          { column: 'district', op: 'in', value: 'Sha Tin, Tai Po ,' },
          { column: 'balance_hkd', op: '>=', value: '1000' },
          { column: 'customer_email', op: 'is-not-null', value: 'ignored' },
        ],
        maxQueries: '50',
        aggregateOnly: true,
        minGroupSize: '10',
        expiresOn: '2026-03-31',
        regions: ['hong-kong', 'shenzhen'],
      }),
      types,
      lastDay,
    );
    expect('overrides' in built && built.overrides).toMatchObject({
      masks: { customer_email: { kind: 'hash' }, balance_hkd: { kind: 'band', width: 5000 } },
      rowFilter: [
        { column: 'district', op: 'in', values: ['Sha Tin', 'Tai Po'] },
        { column: 'balance_hkd', op: '>=', value: 1000 },
        { column: 'customer_email', op: 'is-not-null' },
      ],
      maxQueries: 50,
      aggregateOnly: true,
      minGroupSize: 10,
      regions: ['hong-kong', 'shenzhen'],
      expiresAt: new Date('2026-03-31T23:59:59').toISOString(),
    });
  });

  it('names what must be fixed', () => {
    const problem = (change: Partial<TermsDraft>) => {
      const built = buildOverrides(draft(change), types, lastDay);
      return 'problem' in built ? built.problem : undefined;
    };
    expect(problem({ columns: [] })).toEqual({ key: 'noColumns' });
    expect(problem({ regions: [] })).toEqual({ key: 'noRegions' });
    expect(
      problem({ masks: { customer_email: { kind: 'keep-last', unit: 'month', width: '', n: '40' } } }),
    ).toEqual({ key: 'keepLast', column: 'customer_email' });
    expect(problem({ rowFilter: [{ column: 'district', op: '=', value: ' ' }] })).toEqual({
      key: 'filterValue',
      column: 'district',
    });
    expect(problem({ maxQueries: '0' })).toEqual({ key: 'maxQueries' });
    expect(problem({ expiresOn: '2027-01-01' })).toEqual({ key: 'expiryBeyond' });
    expect(problem({ aggregateOnly: true, minGroupSize: '1' })).toEqual({ key: 'minGroupSize' });
  });

  it('adds noise to an aggregate-only grant, with bounds for the summable numeric columns', () => {
    const noisy = {
      aggregateOnly: true,
      noise: true,
      epsilon: '0.5',
      minEpsilon: '0.1',
      epsilonBudget: '4',
      budgetScope: 'organisation' as const,
      bounds: { balance_hkd: { lower: '0', upper: '50000' }, district: { lower: '', upper: '' } },
    };
    const built = buildOverrides(draft(noisy), types, lastDay);
    expect(built).toMatchObject({
      overrides: {
        aggregateOnly: true,
        minGroupSize: 5,
        noise: {
          epsilon: 0.5,
          minEpsilon: 0.1,
          epsilonBudget: 4,
          budgetScope: 'organisation',
          measures: { balance_hkd: { lower: 0, upper: 50000 } },
        },
      },
    });
    // Noise is an option of aggregate-only grants only.
    expect(buildOverrides(draft({ ...noisy, aggregateOnly: false }), types, lastDay)).not.toHaveProperty(
      'overrides.noise',
    );
    const problem = (change: Partial<TermsDraft>) => {
      const result = buildOverrides(draft({ ...noisy, ...change }), types, lastDay);
      return 'problem' in result ? result.problem : null;
    };
    expect(problem({ epsilon: '0.05' })).toEqual({ key: 'epsilon' });
    expect(problem({ epsilon: '5' })).toEqual({ key: 'epsilon' });
    expect(problem({ epsilon: 'Infinity' })).toEqual({ key: 'epsilon' });
    expect(problem({ minEpsilon: '0.00001' })).toEqual({ key: 'minEpsilon' });
    expect(problem({ minEpsilon: '' })).toEqual({ key: 'minEpsilon' });
    expect(problem({ epsilonBudget: '0' })).toEqual({ key: 'epsilonBudget' });
    expect(problem({ bounds: { balance_hkd: { lower: '10', upper: '10' } } })).toEqual({
      key: 'bounds',
      column: 'balance_hkd',
    });
    expect(problem({ bounds: { district: { lower: '0', upper: '1' } } })).toEqual({
      key: 'boundsColumn',
      column: 'district',
    });
  });
});

describe('terms in words', () => {
  const terms: AgreementTerms = {
    actions: ['query'],
    purpose: 'research',
    purposeText: 'District spending patterns',
    expiresAt: '2026-04-09T09:00:00.000Z',
    columns: ['customer_email', 'district'],
    masks: { customer_email: { kind: 'hash' } },
    rowFilter: [{ column: 'district', op: 'in', values: ['Sha Tin', 'Tai Po'] }],
    aggregateOnly: false,
    minGroupSize: null,
    maxQueries: 1,
    maxRowsPerQuery: 1000,
    regions: ['hong-kong'],
    pinnedVersionId: null,
    duties: ['attribution'],
    prohibitions: ['re-identification'],
  };

  it('reads as sentences in English and Chinese', () => {
    const en = setupI18n('en');
    const lines = termsInWords(terms, en.t, 'en');
    expect(lines).toContain('May query the data; no download.');
    expect(lines).toContain('For Research: District spending patterns');
    expect(lines).toContain('2 columns: customer_email, district.');
    expect(lines).toContain('Masked: customer_email (a keyed hash, joinable only within this agreement).');
    expect(lines).toContain('Only rows where district is one of Sha Tin, Tai Po.');
    expect(lines).toContain('At most 1 query.');
    expect(lines).toContain('From: Hong Kong.');
    const zh = setupI18n('zh-HK');
    const chinese = termsInWords(terms, zh.t, 'zh-HK');
    expect(chinese).toContain('最多查詢 1 次。');
    expect(chinese).toContain('存取地區：香港。');
  });

  it('says when every aggregate carries noise, in both languages', () => {
    const noisy: AgreementTerms = {
      ...terms,
      aggregateOnly: true,
      minGroupSize: 10,
      noise: {
        epsilon: 0.5,
        minEpsilon: 0.1,
        epsilonBudget: 4,
        budgetScope: 'organisation',
        measures: { balance_hkd: { lower: 0, upper: 50000 } },
      },
    };
    expect(termsInWords(noisy, setupI18n('en').t, 'en')).toContain(
      'Every aggregate carries differential-privacy noise: ε 0.5 per query (at least 0.1), 4 in total for the consumer organisation; summable columns: balance_hkd.',
    );
    expect(termsInWords(noisy, setupI18n('zh-HK').t, 'zh-HK')).toContain(
      '每個彙總值都帶有差分私隱雜訊：每次查詢 ε 0.5（最少 0.1），使用者機構整體總額 4；可加總欄位：balance_hkd。',
    );
  });
});

describe('safe defaults in the terms editor', () => {
  const column = (
    name: string,
    type: string,
    suggested: DatasetColumn['suggested'],
    min: string | null = null,
    max: string | null = null,
  ): DatasetColumn => ({
    name,
    type,
    suggested,
    reasons: [],
    explanations: [],
    classification: null,
    quasiIdentifier: false,
    description: null,
    statistics: { nullCount: 0, distinctApprox: 10, min, max, mean: null },
  });
  const columns: DatasetColumn[] = [
    column('patient_id', 'VARCHAR', 'identifier'),
    column('given_name', 'VARCHAR', 'personal'),
    column('birth_date', 'DATE', 'personal'),
    column('hba1c_percent', 'DOUBLE', 'sensitive', '4.1', '13.7'),
    column('income_hkd', 'BIGINT', 'sensitive', '12000', '980000'),
    column('district', 'VARCHAR', 'public'),
    { ...column('diagnosis', 'VARCHAR', 'public'), classification: 'sensitive' as const },
  ];

  it('masks identifiers with a keyed hash, bands sensitive numbers, cuts dates and redacts personal text', () => {
    const names = columns.map((c) => c.name);
    const start = initialDraft(
      { columns: names, durationDays: 30, wantsDownload: false },
      now,
      null,
      columns,
    );
    expect(Object.fromEntries(Object.entries(start.masks).map(([name, mask]) => [name, mask.kind]))).toEqual({
      patient_id: 'hash',
      given_name: 'redact',
      birth_date: 'truncate-date',
      hba1c_percent: 'band',
      income_hkd: 'band',
      diagnosis: 'redact',
    });
    expect(start.masks.birth_date?.unit).toBe('year');
    // About a tenth of the range, rounded to 1, 2 or 5 times a power of ten.
    expect(start.masks.hba1c_percent?.width).toBe('1');
    expect(start.masks.income_hkd?.width).toBe('100000');
    // The confirmed classification wins over the suggestion; public columns stay as they are.
    expect(start.masks.district).toBeUndefined();
    const built = buildOverrides(
      start,
      Object.fromEntries(columns.map((c) => [c.name, c.type])),
      lastRequestedDay(30, now),
    );
    expect('overrides' in built && built.overrides.masks).toEqual({
      patient_id: { kind: 'hash' },
      given_name: { kind: 'redact' },
      birth_date: { kind: 'truncate-date', unit: 'year' },
      hba1c_percent: { kind: 'band', width: 1 },
      income_hkd: { kind: 'band', width: 100000 },
      diagnosis: { kind: 'redact' },
    });
  });

  it('masks only the columns the request asked for', () => {
    const start = initialDraft(
      { columns: ['district', 'income_hkd'], durationDays: 30, wantsDownload: false },
      now,
      null,
      columns,
    );
    expect(Object.keys(start.masks)).toEqual(['income_hkd']);
  });

  it('sizes bands from the statistics and falls back without them', () => {
    expect(bandWidthFor('0', '95')).toBe('10');
    expect(bandWidthFor('0', '0.3')).toBe('0.05');
    expect(bandWidthFor(null, '5')).toBe('10');
    expect(bandWidthFor('7', '7')).toBe('10');
  });
});
