import type { TFunction } from 'i18next';
import { dateLocale } from '../../i18n';
import {
  type AgreementTerms,
  type Condition,
  type DatasetColumn,
  type FilterOperator,
  isDateType,
  isNumericType,
  type Location,
  type Mask,
  type MaskKind,
  type Noise,
  type NoiseBudgetScope,
  type Scalar,
  type TermsOverrides,
} from './types';

/** A mask as the terms editor holds it: text fields until approval turns them into numbers. */
export interface MaskDraft {
  kind: MaskKind | '';
  unit: 'year' | 'month';
  width: string;
  n: string;
}

export interface ConditionDraft {
  column: string;
  op: FilterOperator;
  /** One value, or several separated by commas for `in` and `not-in`. */
  value: string;
}

export interface TermsDraft {
  columns: string[];
  masks: Record<string, MaskDraft>;
  rowFilter: ConditionDraft[];
  /** YYYY-MM-DD; the requested duration's last day unless the provider shortens it. */
  expiresOn: string;
  maxQueries: string;
  maxRowsPerQuery: string;
  aggregateOnly: boolean;
  minGroupSize: string;
  /** With aggregateOnly: release every aggregate with noise within an ε budget. */
  noise: boolean;
  epsilon: string;
  minEpsilon: string;
  epsilonBudget: string;
  budgetScope: NoiseBudgetScope;
  /** Clamping bounds of the numeric columns sum and avg may read under noise; both empty: not summable. */
  bounds: Record<string, { lower: string; upper: string }>;
  download: boolean;
  regions: Location[];
}

export const emptyMask: MaskDraft = { kind: '', unit: 'month', width: '10', n: '4' };

export const needsValues = (op: FilterOperator) => op === 'in' || op === 'not-in';
export const needsNoValue = (op: FilterOperator) => op === 'is-null' || op === 'is-not-null';

/** A local calendar day as YYYY-MM-DD. */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The last day a request's duration reaches, counted from now (the approval). */
export function lastRequestedDay(durationDays: number, now: Date): string {
  return dayOf(new Date(now.getTime() + durationDays * 86_400_000));
}

/** A band width of 1, 2 or 5 times a power of ten, about a tenth of the column's range. */
export function bandWidthFor(min: string | null, max: string | null): string {
  const range = Number(max) - Number(min);
  if (min === null || max === null || !Number.isFinite(range) || range <= 0) return emptyMask.width;
  const rough = range / 10;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10;
  return String(Number((step * power).toPrecision(12)));
}

/**
 * The mask a column starts with in the terms editor, so approving without a look releases nothing
 * raw that could name a person: identifiers a keyed hash, sensitive numbers a band about a tenth of
 * their range, personal dates cut to the year, other personal and sensitive values redacted.
 * Public and internal columns start unmasked. The provider can change any of them.
 */
export function safeDefaultMask(column: DatasetColumn): MaskDraft | undefined {
  const classification = column.classification ?? column.suggested;
  if (classification === 'identifier') return { ...emptyMask, kind: 'hash' };
  if (classification !== 'personal' && classification !== 'sensitive') return undefined;
  if (isNumericType(column.type)) {
    return { ...emptyMask, kind: 'band', width: bandWidthFor(column.statistics.min, column.statistics.max) };
  }
  if (isDateType(column.type)) return { ...emptyMask, kind: 'truncate-date', unit: 'year' };
  return { ...emptyMask, kind: 'redact' };
}

export function initialDraft(
  request: { columns: string[]; durationDays: number; wantsDownload: boolean },
  now: Date,
  region: Location | null,
  columns: DatasetColumn[] = [],
): TermsDraft {
  const masks: Record<string, MaskDraft> = {};
  for (const column of columns) {
    const mask = request.columns.includes(column.name) ? safeDefaultMask(column) : undefined;
    if (mask) masks[column.name] = mask;
  }
  return {
    columns: [...request.columns],
    masks,
    rowFilter: [],
    expiresOn: lastRequestedDay(request.durationDays, now),
    maxQueries: '',
    maxRowsPerQuery: '10000',
    aggregateOnly: false,
    minGroupSize: '5',
    noise: false,
    epsilon: '0.5',
    minEpsilon: '0.01',
    epsilonBudget: '5',
    budgetScope: 'analyst',
    bounds: {},
    download: request.wantsDownload,
    regions: [region ?? 'hong-kong'],
  };
}

export interface DraftProblem {
  /** A key under data.terms.problem */
  key: string;
  column?: string;
}

function scalarFor(text: string, type: string | undefined): Scalar {
  const trimmed = text.trim();
  if (type && isNumericType(type) && trimmed !== '' && Number.isFinite(Number(trimmed)))
    return Number(trimmed);
  if (type === 'BOOLEAN' && /^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  return trimmed;
}

function maskOf(draft: MaskDraft, column: string): Mask | DraftProblem {
  switch (draft.kind) {
    case 'hash':
      return { kind: 'hash' };
    case 'redact':
      return { kind: 'redact' };
    case 'truncate-date':
      return { kind: 'truncate-date', unit: draft.unit };
    case 'band': {
      const width = Number(draft.width);
      if (!(width > 0) || !Number.isFinite(width)) return { key: 'bandWidth', column };
      return { kind: 'band', width };
    }
    case 'keep-last': {
      const n = Number(draft.n);
      if (!Number.isInteger(n) || n < 1 || n > 32) return { key: 'keepLast', column };
      return { kind: 'keep-last', n };
    }
    default:
      return { key: 'mask', column };
  }
}

/** The least ε floor the platform accepts (terms.ts). */
export const minEpsilonFloor = 1e-4;

/** The noise setting an approval sends, or the first thing to fix (the platform checks the same). */
function noiseOf(
  draft: TermsDraft,
  masks: Record<string, Mask>,
  columnTypes: Record<string, string>,
): Noise | DraftProblem {
  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  const epsilon = number(draft.epsilon);
  const minEpsilon = number(draft.minEpsilon);
  const epsilonBudget = number(draft.epsilonBudget);
  if (!(Number.isFinite(minEpsilon) && minEpsilon >= minEpsilonFloor)) return { key: 'minEpsilon' };
  if (!(Number.isFinite(epsilonBudget) && epsilonBudget > 0)) return { key: 'epsilonBudget' };
  if (!(Number.isFinite(epsilon) && epsilon >= minEpsilon && epsilon <= epsilonBudget)) {
    return { key: 'epsilon' };
  }
  const measures: Noise['measures'] = {};
  for (const [column, bounds] of Object.entries(draft.bounds)) {
    if (!draft.columns.includes(column) || (bounds.lower.trim() === '' && bounds.upper.trim() === ''))
      continue;
    const lower = number(bounds.lower);
    const upper = number(bounds.upper);
    const type = columnTypes[column];
    if (!type || !isNumericType(type) || masks[column]) return { key: 'boundsColumn', column };
    if (!(Number.isFinite(lower) && Number.isFinite(upper) && lower < upper))
      return { key: 'bounds', column };
    measures[column] = { lower, upper };
  }
  return { epsilon, minEpsilon, epsilonBudget, budgetScope: draft.budgetScope, measures };
}

const isProblem = (value: unknown): value is DraftProblem =>
  typeof value === 'object' && value !== null && 'key' in value;

/**
 * The overrides an approval sends (terms.ts TermsOverridesSchema), from the editor's draft, or the
 * first thing the provider must fix. Only granted columns keep their masks; numbers typed into a
 * filter on a numeric column are sent as numbers.
 */
export function buildOverrides(
  draft: TermsDraft,
  columnTypes: Record<string, string>,
  lastDay: string,
): { overrides: TermsOverrides } | { problem: DraftProblem } {
  if (draft.columns.length === 0) return { problem: { key: 'noColumns' } };
  if (draft.regions.length === 0) return { problem: { key: 'noRegions' } };
  const masks: Record<string, Mask> = {};
  for (const column of draft.columns) {
    const mask = draft.masks[column];
    if (!mask || mask.kind === '') continue;
    const built = maskOf(mask, column);
    if (isProblem(built)) return { problem: built };
    masks[column] = built;
  }
  const rowFilter: Condition[] = [];
  for (const condition of draft.rowFilter) {
    if (!condition.column) return { problem: { key: 'filterColumn' } };
    const type = columnTypes[condition.column];
    if (needsNoValue(condition.op)) rowFilter.push({ column: condition.column, op: condition.op });
    else if (needsValues(condition.op)) {
      const values = condition.value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map((part) => scalarFor(part, type));
      if (values.length === 0) return { problem: { key: 'filterValue', column: condition.column } };
      rowFilter.push({ column: condition.column, op: condition.op, values });
    } else {
      if (condition.value.trim() === '') return { problem: { key: 'filterValue', column: condition.column } };
      rowFilter.push({ column: condition.column, op: condition.op, value: scalarFor(condition.value, type) });
    }
  }
  const overrides: TermsOverrides = {
    actions: draft.download ? ['query', 'download'] : ['query'],
    columns: [...draft.columns],
    masks,
    rowFilter,
    aggregateOnly: draft.aggregateOnly,
    regions: [...draft.regions],
  };
  if (draft.aggregateOnly) {
    const k = Number(draft.minGroupSize);
    if (!Number.isInteger(k) || k < 2) return { problem: { key: 'minGroupSize' } };
    overrides.minGroupSize = k;
    if (draft.noise) {
      const noise = noiseOf(draft, masks, columnTypes);
      if (isProblem(noise)) return { problem: noise };
      overrides.noise = noise;
    }
  } else overrides.minGroupSize = null;
  if (draft.maxQueries.trim() === '') overrides.maxQueries = null;
  else {
    const max = Number(draft.maxQueries);
    if (!Number.isInteger(max) || max < 1) return { problem: { key: 'maxQueries' } };
    overrides.maxQueries = max;
  }
  const rows = Number(draft.maxRowsPerQuery);
  if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000) return { problem: { key: 'maxRows' } };
  overrides.maxRowsPerQuery = rows;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.expiresOn)) return { problem: { key: 'expiry' } };
  if (draft.expiresOn > lastDay) return { problem: { key: 'expiryBeyond' } };
  // The requested last day is the default the platform applies itself; an earlier day ends at its midnight.
  if (draft.expiresOn < lastDay) overrides.expiresAt = new Date(`${draft.expiresOn}T23:59:59`).toISOString();
  return { overrides };
}

function maskInWords(mask: Mask, t: TFunction): string {
  switch (mask.kind) {
    case 'truncate-date':
      return t('data.maskWords.truncate-date', { unit: t(`data.terms.unit.${mask.unit}`) });
    case 'band':
      return t('data.maskWords.band', { width: mask.width });
    case 'keep-last':
      return t('data.maskWords.keep-last', { n: mask.n });
    default:
      return t(`data.maskWords.${mask.kind}`);
  }
}

export function conditionInWords(condition: Condition, t: TFunction): string {
  const operand = condition.values ? condition.values.join(', ') : String(condition.value ?? '');
  return t(`data.opWords.${condition.op}`, { column: condition.column, value: operand });
}

/** An agreement's terms as sentences a person reads (the agreement page, the approval review). */
export function termsInWords(terms: AgreementTerms, t: TFunction, language: string): string[] {
  const lines: string[] = [];
  lines.push(
    terms.actions.includes('download')
      ? t('data.termsWords.queryAndDownload')
      : t('data.termsWords.queryOnly'),
  );
  lines.push(
    t('data.termsWords.purpose', {
      purpose: t(`data.purpose.${terms.purpose}`),
      text: terms.purposeText || '—',
    }),
  );
  lines.push(
    t('data.termsWords.columns', { count: terms.columns.length, columns: terms.columns.join(', ') }),
  );
  const masked = Object.entries(terms.masks);
  if (masked.length > 0) {
    lines.push(
      t('data.termsWords.masks', {
        masks: masked.map(([column, mask]) => `${column} (${maskInWords(mask, t)})`).join('; '),
      }),
    );
  } else lines.push(t('data.termsWords.noMasks'));
  if (terms.rowFilter.length > 0) {
    lines.push(
      t('data.termsWords.rowFilter', {
        conditions: terms.rowFilter
          .map((condition) => conditionInWords(condition, t))
          .join(t('data.termsWords.and')),
      }),
    );
  }
  if (terms.aggregateOnly) {
    lines.push(t('data.termsWords.aggregateOnly', { count: terms.minGroupSize ?? 0 }));
    if (terms.noise) {
      const measures = Object.keys(terms.noise.measures);
      lines.push(
        t(`data.termsWords.noise.${terms.noise.budgetScope ?? 'analyst'}`, {
          epsilon: terms.noise.epsilon,
          minEpsilon: terms.noise.minEpsilon,
          budget: terms.noise.epsilonBudget,
          measures: measures.length > 0 ? measures.join(', ') : '—',
        }),
      );
    }
  }
  lines.push(
    terms.maxQueries === null
      ? t('data.termsWords.unlimitedQueries')
      : t('data.termsWords.maxQueries', { count: terms.maxQueries }),
  );
  lines.push(
    t('data.termsWords.maxRows', {
      count: terms.maxRowsPerQuery,
      formatted: new Intl.NumberFormat(language).format(terms.maxRowsPerQuery),
    }),
  );
  lines.push(
    t('data.termsWords.regions', {
      regions: terms.regions.map((region) => t(`location.${region}`)).join(', '),
    }),
  );
  lines.push(
    t('data.termsWords.expires', {
      date: new Intl.DateTimeFormat(dateLocale(language), { dateStyle: 'long' }).format(
        new Date(terms.expiresAt),
      ),
    }),
  );
  if (terms.duties.length > 0) {
    lines.push(
      t('data.termsWords.duties', { duties: terms.duties.map((duty) => t(`data.duty.${duty}`)).join(', ') }),
    );
  }
  if (terms.prohibitions.length > 0) {
    lines.push(
      t('data.termsWords.prohibitions', {
        prohibitions: terms.prohibitions.map((p) => t(`data.prohibition.${p}`)).join(', '),
      }),
    );
  }
  return lines;
}
