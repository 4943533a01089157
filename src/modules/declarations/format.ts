import Type, { type Static, type TSchema } from 'typebox';
import { TemplateTermsSchema } from '../access/terms-templates.js';
import { purposes } from '../access/vocabulary.js';
import { classifications } from '../catalog/vocabulary.js';
import { dcatFormats, harvestKinds } from '../harvest/index.js';
import { budgetScopes } from '../lab/schema.js';

/**
 * The declaration file: what one organisation owns, written down so it can be reviewed in a pull
 * request, applied to a second environment and checked for drift. Objects are matched by stable
 * keys, never by ids: APIs, datasets and terms templates by slug, plans by name within their API,
 * webhooks by URL, harvest sources and labs by name. What a file leaves out of an object it names takes the
 * default below, so the file is the whole truth about that object.
 *
 * The JSON Schema this builds is published at `GET /v1/declarations/schema`; YAML files are read
 * as the same structure (docs/declarations.md).
 */

export const declarationFormat = 'stp.declaration/1' as const;

const enumOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const Word = Type.String({ minLength: 1, maxLength: 100 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const NullableText = (maxLength: number, description?: string) =>
  Type.Union([Type.String({ maxLength }), Type.Null()], description ? { description } : {});
const OrgSlug = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 100,
  description: "an organisation's slug, as the directory shows it",
});

export const PlanDeclarationSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'the key of the plan within its API' }),
    description: optional(NullableText(2000)),
    rateLimitPerSecond: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    burst: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    monthlyQuota: optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'null: unlimited' }),
    ),
    requiresApproval: optional(Type.Boolean({ description: 'default false' })),
    includedTags: optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    includedPaths: optional(
      Type.Array(Type.String({ pattern: '^/', maxLength: 500 }), {
        maxItems: 100,
        description: 'path patterns: `*` matches one segment, `**` any number',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ApiDeclarationSchema = Type.Object(
  {
    slug: Type.String({
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      maxLength: 48,
      description: 'the key of the API and its address under /gw/{slug}/',
    }),
    openapi: Type.String({
      minLength: 1,
      maxLength: 1000,
      description:
        'path of the OpenAPI document, relative to the declaration file; a changed document becomes a new version',
    }),
    upstream: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'absolute http(s) URL the gateway forwards to',
    }),
    visibility: optional(enumOf(['public', 'private', 'orgs'] as const, { description: 'default private' })),
    allowedOrgs: optional(Type.Array(OrgSlug, { maxItems: 500, description: 'with visibility orgs' })),
    category: optional(NullableText(100)),
    tags: optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
    validateRequests: optional(
      Type.Boolean({ description: 'check requests against the document at the gateway' }),
    ),
    consent: optional(
      Type.Object(
        {
          purpose: enumOf(purposes),
          subjectRequired: Type.Boolean({ description: 'refuse calls that name no subject' }),
        },
        {
          additionalProperties: false,
          description: 'calls pass only for subjects with a live consent for this purpose',
        },
      ),
    ),
    plans: optional(Type.Array(PlanDeclarationSchema, { maxItems: 100 })),
    deprecation: optional(
      Type.Object(
        {
          sunsetAt: Type.String({
            format: 'date-time',
            description: 'from then the gateway answers 410; in the future when first applied',
          }),
          deprecatedAt: optional(
            Type.String({ format: 'date-time', description: 'deprecated from then; default: when applied' }),
          ),
          link: optional(Type.String({ format: 'uri', maxLength: 2000, description: 'your page about it' })),
          successor: optional(
            Type.String({
              pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
              maxLength: 48,
              description: 'the slug of another API of yours that replaces it',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            "retires the API's current version: Deprecation and Sunset headers on calls, 410 after the sunset; " +
            'its callers are told. A deprecation cannot be withdrawn.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const TemplateSlug = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 100,
  description: 'the key of a terms template of the organisation',
});

export const TermsTemplateDeclarationSchema = Type.Object(
  {
    slug: TemplateSlug,
    description: optional(NullableText(2000)),
    terms: TemplateTermsSchema,
  },
  {
    additionalProperties: false,
    description:
      'standing terms an approval starts from: a dataset names one as its default, and an approval without terms uses it',
  },
);

export const DatasetDeclarationSchema = Type.Object(
  {
    slug: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,62}$',
      description: 'the key of the dataset and its name in SQL',
    }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: optional(NullableText(10_000)),
    licence: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'an SPDX id or a name such as "proprietary"',
    }),
    keywords: optional(Type.Array(Word, { maxItems: 50 })),
    themes: optional(Type.Array(Word, { maxItems: 20 })),
    updateFrequency: optional(NullableText(50)),
    spatial: optional(Type.Array(Word, { maxItems: 30 })),
    temporalStart: optional(Type.Union([Day, Type.Null()])),
    temporalEnd: optional(Type.Union([Day, Type.Null()])),
    consentRequired: optional(Type.Boolean()),
    subjectColumn: optional(NullableText(128)),
    kThreshold: optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 5' })),
    classifications: optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 128 }), enumOf(classifications), {
        description:
          'column → classification, confirmed on the current version; waits until a version is uploaded',
      }),
    ),
    published: optional(
      Type.Boolean({ description: 'publish once a version is uploaded and classified; default false' }),
    ),
    defaultTerms: optional(
      Type.String({
        pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
        maxLength: 100,
        description:
          'the slug of the terms template (under termsTemplates) an access request is approved with when the provider gives no terms',
      }),
    ),
  },
  { additionalProperties: false },
);

export const WebhookDeclarationSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'the key of the webhook' }),
    events: Type.Array(
      Type.String({ pattern: '^(\\*|[a-z0-9-]+(\\.[a-z0-9-]+)*(\\.\\*)?)$', maxLength: 100 }),
      { minItems: 1, maxItems: 50 },
    ),
    secretEnv: Type.String({
      pattern: '^[A-Z_][A-Z0-9_]*$',
      maxLength: 100,
      description:
        'the environment variable holding the signing secret (whsec_…) where the file is applied; never the secret itself',
    }),
  },
  { additionalProperties: false },
);

export const HarvestSourceDeclarationSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'the key of the source' }),
    kind: enumOf(harvestKinds),
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    intervalHours: optional(Type.Union([Type.Integer({ minimum: 1, maximum: 8760 }), Type.Null()])),
    options: optional(
      Type.Object(
        {
          fq: optional(Type.String({ minLength: 1, maxLength: 500 })),
          organization: optional(Type.String({ minLength: 1, maxLength: 100 })),
          pageSize: optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          format: optional(enumOf(dcatFormats)),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const LabDeclarationSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'the key of the lab' }),
    description: optional(NullableText(2000)),
    minGroupSize: optional(Type.Integer({ minimum: 2, maximum: 10_000 })),
    epsilonBudget: optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    defaultEpsilon: optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    maxRowsPerSubject: optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    maxGroupsPerSubject: optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    minEpsilon: optional(Type.Number({ minimum: 0.0001, maximum: 100 })),
    budgetScope: optional(enumOf(budgetScopes)),
    outputReview: optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const DeclarationSchema = Type.Object(
  {
    format: Type.Literal(declarationFormat),
    organisation: Type.String({
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      maxLength: 100,
      description: 'the slug of the organisation the file describes; it must be the caller’s',
    }),
    apis: optional(Type.Array(ApiDeclarationSchema, { maxItems: 500 })),
    termsTemplates: optional(Type.Array(TermsTemplateDeclarationSchema, { maxItems: 200 })),
    datasets: optional(Type.Array(DatasetDeclarationSchema, { maxItems: 2000 })),
    webhooks: optional(Type.Array(WebhookDeclarationSchema, { maxItems: 100 })),
    harvestSources: optional(Type.Array(HarvestSourceDeclarationSchema, { maxItems: 100 })),
    labs: optional(Type.Array(LabDeclarationSchema, { maxItems: 100 })),
  },
  {
    additionalProperties: false,
    $id: 'https://stp-platform.dev/schemas/declaration-1.json',
    title: 'STP Platform declaration',
    description:
      'What one organisation owns on STP Platform: APIs, plans, terms templates, datasets, webhooks, harvest sources, labs',
  },
);

export type Declaration = Static<typeof DeclarationSchema>;
export type ApiDeclaration = Static<typeof ApiDeclarationSchema>;
export type PlanDeclaration = Static<typeof PlanDeclarationSchema>;
export type DatasetDeclaration = Static<typeof DatasetDeclarationSchema>;
export type TermsTemplateDeclaration = Static<typeof TermsTemplateDeclarationSchema>;
export type WebhookDeclaration = Static<typeof WebhookDeclarationSchema>;
export type HarvestSourceDeclaration = Static<typeof HarvestSourceDeclarationSchema>;
export type LabDeclaration = Static<typeof LabDeclarationSchema>;

/**
 * What plan and apply are sent: the declaration, the text of every OpenAPI document it names (by
 * the path it names it with), and the webhook secrets by the environment variable the file names.
 * The CLI builds this from the file and its environment; a CI job may send it with curl.
 */
export const DeclarationRequestSchema = Type.Object(
  {
    declaration: Type.Unsafe<Declaration>({
      type: 'object',
      description: 'the declaration (see /v1/declarations/schema)',
    }),
    documents: optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 1000 }),
        Type.String({ maxLength: 20 * 1024 * 1024 }),
        {
          description: 'OpenAPI documents by the path the declaration names them with',
        },
      ),
    ),
    secrets: optional(
      Type.Record(
        Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$', maxLength: 100 }),
        Type.String({ maxLength: 200 }),
        {
          description:
            'webhook secrets by environment variable name; used to create webhooks, never stored in a plan',
        },
      ),
    ),
    prune: optional(
      Type.Boolean({
        description:
          'also remove what the file no longer names (plans, terms templates, webhooks, harvest sources)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DeclarationRequest = Static<typeof DeclarationRequestSchema>;
