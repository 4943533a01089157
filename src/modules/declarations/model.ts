import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import type { Declaration } from './format.js';

/**
 * A declaration, flattened into the objects the platform's services change one at a time. An API's
 * consent requirement, a dataset's default terms template, its classifications and its publication
 * are objects of their own because each is its own service call (and so its own ledger entry). The
 * order of the kinds is the order changes are applied in: an API before its plans, a terms template
 * before the datasets that name it, a dataset before its classifications and those before
 * publishing; removals go in the reverse order.
 */
export const objectKinds = [
  'api',
  'api-consent',
  'api-deprecation',
  'plan',
  'terms-template',
  'dataset',
  'dataset-terms',
  'dataset-classifications',
  'dataset-publication',
  'webhook',
  'harvest-source',
  'lab',
] as const;
export type ObjectKind = (typeof objectKinds)[number];

export interface DeclaredObject {
  kind: ObjectKind;
  /** The stable key: a slug, `apiSlug/planName`, a URL or a name. */
  key: string;
  /** What is compared: each field with its value after defaults. */
  fields: Record<string, unknown>;
  /** What is carried but not compared (where an OpenAPI document lies, a secret's variable). */
  extra?: Record<string, unknown>;
}

export interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface Change {
  action: 'create' | 'update' | 'delete';
  kind: ObjectKind;
  key: string;
  fields: FieldChange[];
}

/** Something the file asks for that cannot be done yet or at all; neither a change nor an error. */
export interface Note {
  kind: ObjectKind;
  key: string;
  note: string;
}

export interface Diff {
  changes: Change[];
  notes: Note[];
}

/** `sha256:<hex>` of a text: how a document is compared without carrying it in the plan. */
export function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/**
 * The digest of an OpenAPI document's content: parsed (YAML or JSON) and written as canonical
 * JSON, so reformatting a file, or converting it between YAML and JSON, is not a new version.
 * Text that does not parse is digested as it is (importing it will say what is wrong).
 */
export function documentDigest(text: string): string {
  try {
    return digestOf(canonicalJson(parse(text)));
  } catch {
    return digestOf(text);
  }
}

/** JSON with keys sorted at every level, so equal values have equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The declaration's hash, as ledger entries name it: the declaration in canonical JSON with each
 * document it names replaced by the digest of its text, so a changed OpenAPI file is a new hash.
 */
export function declarationHash(declaration: Declaration, documents: Record<string, string>): string {
  const named = Object.fromEntries(
    (declaration.apis ?? []).map((api) => [api.openapi, documentDigest(documents[api.openapi] ?? '')]),
  );
  return digestOf(canonicalJson({ declaration, documents: named }));
}

/** A URL as the platform stores it (`new URL(…).toString()`), so `https://a.example` matches `https://a.example/`. */
function storedUrl(value: string): string {
  return URL.canParse(value) ? new URL(value).toString() : value;
}

/** A date-time as the platform stores it, so `2027-06-30T08:00:00+08:00` matches `2027-06-30T00:00:00.000Z`. */
function instant(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

const sorted = (values: readonly string[] | undefined) => [...new Set(values ?? [])].sort();

/**
 * The objects a declaration names, with every default filled in. An API's document is compared by
 * digest; a document the request did not carry digests as missing, and plan says so.
 */
export function objectsOf(declaration: Declaration, documents: Record<string, string>): DeclaredObject[] {
  const objects: DeclaredObject[] = [];
  for (const api of declaration.apis ?? []) {
    const text = documents[api.openapi];
    objects.push({
      kind: 'api',
      key: api.slug,
      fields: {
        openapi: text === undefined ? 'missing' : documentDigest(text),
        upstream: api.upstream.replace(/\/+$/, ''),
        visibility: api.visibility ?? 'private',
        allowedOrgs: sorted(api.allowedOrgs),
        category: api.category ?? null,
        tags: [...new Set(api.tags ?? [])],
        validateRequests: api.validateRequests ?? false,
      },
      extra: { openapi: api.openapi },
    });
    if (api.consent) {
      objects.push({ kind: 'api-consent', key: api.slug, fields: { ...api.consent } });
    }
    if (api.deprecation) {
      const { sunsetAt, deprecatedAt, link, successor } = api.deprecation;
      objects.push({
        kind: 'api-deprecation',
        key: api.slug,
        fields: {
          sunsetAt: instant(sunsetAt),
          // Left out, it is whenever the deprecation was applied: nothing to compare.
          ...(deprecatedAt !== undefined ? { deprecatedAt: instant(deprecatedAt) } : {}),
          link: link === undefined ? null : storedUrl(link),
          successor: successor ?? null,
        },
      });
    }
    for (const plan of api.plans ?? []) {
      objects.push({
        kind: 'plan',
        key: `${api.slug}/${plan.name}`,
        fields: {
          description: plan.description ?? null,
          rateLimitPerSecond: plan.rateLimitPerSecond,
          burst: plan.burst,
          monthlyQuota: plan.monthlyQuota ?? null,
          requiresApproval: plan.requiresApproval ?? false,
          includedTags: [...(plan.includedTags ?? [])],
          includedPaths: [...(plan.includedPaths ?? [])],
        },
      });
    }
  }
  for (const template of declaration.termsTemplates ?? []) {
    objects.push({
      kind: 'terms-template',
      key: template.slug,
      // Each term a field of its own, so a plan shows which term changed.
      fields: {
        description: template.description ?? null,
        ...Object.fromEntries(
          Object.entries(template.terms)
            .filter(([, value]) => value !== undefined)
            .map(([term, value]) => [`${templateTermPrefix}${term}`, value]),
        ),
      },
    });
  }
  for (const dataset of declaration.datasets ?? []) {
    objects.push({
      kind: 'dataset',
      key: dataset.slug,
      fields: {
        title: dataset.title,
        description: dataset.description ?? null,
        licence: dataset.licence,
        keywords: [...(dataset.keywords ?? [])],
        themes: [...(dataset.themes ?? [])],
        updateFrequency: dataset.updateFrequency ?? null,
        spatial: [...(dataset.spatial ?? [])],
        temporalStart: dataset.temporalStart ?? null,
        temporalEnd: dataset.temporalEnd ?? null,
        consentRequired: dataset.consentRequired ?? false,
        subjectColumn: dataset.subjectColumn ?? null,
        kThreshold: dataset.kThreshold ?? 5,
      },
    });
    if (dataset.defaultTerms !== undefined) {
      objects.push({ kind: 'dataset-terms', key: dataset.slug, fields: { template: dataset.defaultTerms } });
    }
    // Classifications and publication are the file's only when it states them: a provider may
    // keep confirming classifications in the portal, and a dataset without them has no opinion.
    if (dataset.classifications && Object.keys(dataset.classifications).length > 0) {
      objects.push({
        kind: 'dataset-classifications',
        key: dataset.slug,
        fields: Object.fromEntries(
          Object.entries(dataset.classifications).map(([column, value]) => [`columns.${column}`, value]),
        ),
      });
    }
    if (dataset.published !== undefined) {
      objects.push({
        kind: 'dataset-publication',
        key: dataset.slug,
        fields: { published: dataset.published },
      });
    }
  }
  for (const webhook of declaration.webhooks ?? []) {
    objects.push({
      kind: 'webhook',
      key: storedUrl(webhook.url),
      fields: { events: sorted(webhook.events) },
      extra: { secretEnv: webhook.secretEnv },
    });
  }
  for (const source of declaration.harvestSources ?? []) {
    const options = Object.fromEntries(
      Object.entries(source.options ?? {}).filter(([, value]) => value !== undefined),
    );
    objects.push({
      kind: 'harvest-source',
      key: source.name,
      fields: {
        kind: source.kind,
        url: storedUrl(source.url),
        intervalHours: source.intervalHours ?? null,
        options,
      },
    });
  }
  for (const lab of declaration.labs ?? []) {
    objects.push({
      kind: 'lab',
      key: lab.name,
      fields: {
        description: lab.description ?? null,
        minGroupSize: lab.minGroupSize ?? 10,
        epsilonBudget: lab.epsilonBudget ?? 3,
        defaultEpsilon: lab.defaultEpsilon ?? 0.5,
        maxRowsPerSubject: lab.maxRowsPerSubject ?? 5,
        maxGroupsPerSubject: lab.maxGroupsPerSubject ?? 1,
        minEpsilon: lab.minEpsilon ?? 0.01,
        budgetScope: lab.budgetScope ?? 'analyst',
        outputReview: lab.outputReview ?? false,
      },
    });
  }
  return objects;
}

/** How a terms template's terms are named among its fields: `terms.masks`, `terms.columns`, … */
export const templateTermPrefix = 'terms.';

/** A terms template's terms, back from its fields. */
export function templateTermsOf(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([field]) => field.startsWith(templateTermPrefix))
      .map(([field, value]) => [field.slice(templateTermPrefix.length), value]),
  );
}

/** Keys must be unique within a kind: two plans of one name would leave apply to guess. */
export function duplicateKeys(objects: DeclaredObject[]): { kind: ObjectKind; key: string }[] {
  const seen = new Set<string>();
  const duplicates: { kind: ObjectKind; key: string }[] = [];
  for (const object of objects) {
    const id = `${object.kind}\u0000${object.key}`;
    if (seen.has(id)) duplicates.push({ kind: object.kind, key: object.key });
    seen.add(id);
  }
  return duplicates;
}

const idOf = (object: { kind: ObjectKind; key: string }) => `${object.kind}\u0000${object.key}`;

function fieldChanges(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  partial: boolean,
): FieldChange[] {
  const names = partial ? Object.keys(to) : [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return names
    .filter((name) => canonicalJson(from[name]) !== canonicalJson(to[name]))
    .sort()
    .map((field) => ({ field, from: from[field] ?? null, to: to[field] ?? null }));
}

/** Kinds whose declared fields are a part of the live object's (classifications name some columns). */
const partialKinds = new Set<ObjectKind>(['dataset-classifications', 'api-deprecation']);

/** Kinds removed when the file stops naming them, with --prune; the platform cannot remove the rest. */
export const prunableKinds = new Set<ObjectKind>(['plan', 'terms-template', 'webhook', 'harvest-source']);

export interface DiffOptions {
  prune: boolean;
  /** Dataset slugs with an uploaded version: classifications and publication wait for one. */
  datasetsWithData: Set<string>;
}

/**
 * What it takes to go from `live` to `desired`: creates and updates in dependency order, then
 * removals in the reverse order. A consent requirement the file drops from an API it names, and a
 * default terms template it drops from a dataset it names, are removed without --prune (the API
 * and the dataset are the file's); other objects only with it.
 */
export function diffObjects(desired: DeclaredObject[], live: DeclaredObject[], options: DiffOptions): Diff {
  const liveById = new Map(live.map((object) => [idOf(object), object]));
  const desiredIds = new Set(desired.map(idOf));
  const declaredApis = new Set(desired.filter((o) => o.kind === 'api').map((o) => o.key));
  const declaredDatasets = new Set(desired.filter((o) => o.kind === 'dataset').map((o) => o.key));
  const changes: Change[] = [];
  const notes: Note[] = [];
  for (const object of desired) {
    const current = liveById.get(idOf(object));
    if (object.kind === 'dataset-classifications' || object.kind === 'dataset-publication') {
      if (!options.datasetsWithData.has(object.key)) {
        if (!current || fieldChanges(current.fields, object.fields, true).length > 0) {
          notes.push({
            kind: object.kind,
            key: object.key,
            note: 'waits for data: applied once a version of the dataset is uploaded',
          });
        }
        continue;
      }
    }
    if (!current) {
      changes.push({
        action:
          object.kind === 'dataset-classifications' || object.kind === 'dataset-publication'
            ? 'update'
            : 'create',
        kind: object.kind,
        key: object.key,
        fields: fieldChanges({}, object.fields, false),
      });
      continue;
    }
    const fields = fieldChanges(current.fields, object.fields, partialKinds.has(object.kind));
    if (fields.length > 0) changes.push({ action: 'update', kind: object.kind, key: object.key, fields });
  }
  const removals: Change[] = [];
  for (const object of live) {
    if (desiredIds.has(idOf(object))) continue;
    if (object.kind === 'api-deprecation' && declaredApis.has(object.key)) {
      notes.push({
        kind: object.kind,
        key: object.key,
        note: 'not in the file; a deprecation cannot be withdrawn, so it stays',
      });
      continue;
    }
    const isDroppedPart =
      (object.kind === 'api-consent' && declaredApis.has(object.key)) ||
      (object.kind === 'dataset-terms' && declaredDatasets.has(object.key));
    if (isDroppedPart || (options.prune && prunableKinds.has(object.kind))) {
      removals.push({ action: 'delete', kind: object.kind, key: object.key, fields: [] });
    } else if (options.prune && ['api', 'dataset', 'lab'].includes(object.kind)) {
      notes.push({
        kind: object.kind,
        key: object.key,
        note: 'not in the file; the platform cannot remove it, so it stays',
      });
    }
  }
  const rank = (kind: ObjectKind) => objectKinds.indexOf(kind);
  changes.sort((a, b) => rank(a.kind) - rank(b.kind));
  removals.sort((a, b) => rank(b.kind) - rank(a.kind));
  return { changes: [...changes, ...removals], notes };
}
