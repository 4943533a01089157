import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import {
  NullableString,
  NullableTimestamp,
  PageOf,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../http/schemas.js';
import { baseUrlOf } from '../../http/urls.js';
import { idPatternFor } from '../../ids.js';
import type { DatasetEntry, DatasetService, DatasetVersion } from './datasets.js';
import {
  type ColumnExplanation,
  classifications,
  type DatasetColumn,
  datasetFormats,
  restrictedClassifications,
} from './schema.js';

export const DatasetId = Type.String({
  pattern: idPatternFor('dataset'),
  description: 'a dataset id (ds_…)',
});
const OrgId = Type.String({ pattern: idPatternFor('organisation') });
const Word = Type.String({ minLength: 1, maxLength: 100 });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const ColumnClassification = StringEnum(classifications);

const metadataFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()]),
  licence: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'an SPDX id (CC-BY-4.0, CC0-1.0, ODbL-1.0 … are open) or a name such as "proprietary"',
  }),
  keywords: Type.Array(Word, { maxItems: 50 }),
  themes: Type.Array(Word, { maxItems: 20, description: 'e.g. economy, health, environment, transport' }),
  updateFrequency: Type.Union([Type.String({ maxLength: 50 }), Type.Null()], {
    description: 'e.g. daily, monthly, annual, irregular',
  }),
  spatial: Type.Array(Word, { maxItems: 30, description: 'Hong Kong districts covered, or hong-kong' }),
  temporalStart: Type.Union([Day, Type.Null()]),
  temporalEnd: Type.Union([Day, Type.Null()]),
  consentRequired: Type.Boolean({
    description:
      'other organisations see only rows whose subject has a live consent for their purpose (see /v1/consents)',
  }),
  subjectColumn: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()], {
    description: 'the column holding the subject key; required with consentRequired',
  }),
  kThreshold: Type.Integer({
    minimum: 2,
    maximum: 1000,
    description:
      'the smallest group of rows sharing the same quasi-identifiers (k) you accept in a release; ' +
      'approving an agreement that gives less warns (default 5)',
  }),
};

const Explanation = Type.Object({
  rule: Type.String({ description: 'the rule that matched (see docs/classification.md)' }),
  share: Type.Union([Type.Number(), Type.Null()], {
    description: 'share of sampled values that matched (0–1); null for a rule on the name',
  }),
  en: Type.String(),
  'zh-HK': Type.String(),
});

const ColumnView = Type.Object({
  name: Type.String(),
  type: Type.String(),
  suggested: ColumnClassification,
  reasons: Type.Array(Type.String(), { description: 'why, in English (each explanation’s en)' }),
  explanations: Type.Array(Explanation, { description: 'why, rule by rule, in English and Chinese' }),
  classification: Type.Union([ColumnClassification, Type.Null()]),
  quasiIdentifier: Type.Boolean({
    description: 'counted among the quasi-identifiers on which re-identification risk is measured',
  }),
  description: NullableString,
  statistics: Type.Object({
    nullCount: Type.Number(),
    distinctApprox: Type.Number(),
    min: NullableString,
    max: NullableString,
    mean: Type.Union([Type.Number(), Type.Null()]),
  }),
});

const RiskFiguresView = Type.Object({
  rows: Type.Number(),
  quasiIdentifiers: Type.Array(Type.String()),
  uniqueRows: Type.Number({ description: 'rows alone in their equivalence class' }),
  uniqueShare: Type.Number(),
  k: Type.Union([Type.Number(), Type.Null()], { description: 'the smallest equivalence class' }),
  classes: Type.Number(),
});

const Generalisation = Type.Union([
  Type.Object({ kind: Type.Literal('truncate-date'), unit: StringEnum(['year', 'month'] as const) }),
  Type.Object({ kind: Type.Literal('band'), width: Type.Number() }),
  Type.Object({ kind: Type.Literal('redact') }),
]);

export const RiskAssessmentView = Type.Object({
  ...RiskFiguresView.properties,
  threshold: Type.Integer({ description: "the dataset's kThreshold" }),
  isBelowThreshold: Type.Boolean(),
  masks: Type.Array(
    Type.Object({
      column: Type.String(),
      mask: Generalisation,
      k: Type.Union([Type.Number(), Type.Null()], {
        description: 'k once this mask and those before it apply',
      }),
      uniqueShare: Type.Number(),
    }),
    { description: 'masks, applied in order, that raise k to the threshold' },
  ),
});

const VersionView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  sourceFormat: StringEnum(datasetFormats),
  sourceName: Type.String(),
  sourceBytes: Type.Number(),
  sourceSha256: Type.String(),
  rowCount: Type.Number(),
  columns: Type.Array(ColumnView),
  confirmedAt: NullableTimestamp,
  createdAt: Timestamp,
  risk: Type.Union([RiskFiguresView, Type.Null()], {
    description:
      'the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is ' +
      'personal, sensitive or an identifier',
  }),
});

const DatasetView = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  slug: Type.String({ description: 'the name to use in SQL' }),
  title: Type.String(),
  description: NullableString,
  licence: Type.String(),
  keywords: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  updateFrequency: NullableString,
  spatial: Type.Array(Type.String()),
  temporalStart: NullableString,
  temporalEnd: NullableString,
  status: StringEnum(['draft', 'published'] as const),
  consentRequired: Type.Boolean(),
  kThreshold: Type.Integer(),
  subjectColumn: NullableString,
  origin: Type.Union(
    [
      Type.Object({
        sourceId: Type.String({ description: 'the harvest source (hvs_…)' }),
        originalId: Type.String({ description: "the record's identifier at the source" }),
        fetchedAt: Type.String({ description: 'when a run last read it' }),
        landingPage: NullableString,
        publisher: NullableString,
        hash: Type.String(),
      }),
      Type.Null(),
    ],
    { description: 'set on datasets imported from a harvest source; those have no versions to query' },
  ),
  resources: Type.Array(
    Type.Object({
      name: Type.String(),
      format: NullableString,
      url: Type.String(),
      mediaType: NullableString,
    }),
    { description: "a harvested dataset's files and services at its source" },
  ),
  translations: Type.Record(
    Type.String(),
    Type.Object({ title: Type.Optional(Type.String()), description: Type.Optional(Type.String()) }),
    { description: 'title and description in other languages, by language tag' },
  ),
  isOpen: Type.Boolean({ description: 'open licence, published, confirmed, no personal columns' }),
  currentVersion: Type.Union([VersionView, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/**
 * Columns as a viewer sees them. A restricted column's minimum and maximum are values of one row
 * (an e-mail address, an HKID, a balance): only its owner sees them; others get the counts and mean.
 */
type ColumnOut = DatasetColumn & { explanations: ColumnExplanation[]; quasiIdentifier: boolean };

function columnsFor(columns: DatasetColumn[], isOwner: boolean): ColumnOut[] {
  const complete = columns.map(
    (column): ColumnOut => ({
      ...column,
      explanations:
        column.explanations ??
        column.reasons.map((reason) => ({ rule: 'unknown', share: null, en: reason, 'zh-HK': reason })),
      quasiIdentifier: column.quasiIdentifier ?? false,
    }),
  );
  if (isOwner) return complete;
  return complete.map((column) =>
    restrictedClassifications.includes(column.classification ?? column.suggested)
      ? { ...column, statistics: { ...column.statistics, min: null, max: null } }
      : column,
  );
}

function versionView(version: DatasetVersion, isOwner = true) {
  return {
    id: version.id,
    version: version.version,
    sourceFormat: version.sourceFormat,
    sourceName: version.sourceName,
    sourceBytes: version.sourceBytes,
    sourceSha256: version.sourceSha256,
    rowCount: version.rowCount,
    columns: columnsFor(version.columns, isOwner),
    confirmedAt: version.confirmedAt,
    createdAt: version.createdAt,
    risk: isOwner ? (version.risk ?? null) : null,
  };
}

const RecordFindingView = Type.Object({
  focusNode: Type.String({ description: 'the node of the record (dataset, distribution, contact point…)' }),
  path: Type.String({ description: 'the property' }),
  message: Type.String(),
});

function datasetView(entry: DatasetEntry, viewerOrgId?: string) {
  const { searchText: _searchText, currentVersionId: _currentVersionId, ...dataset } = entry.dataset;
  const isOwner = viewerOrgId === undefined || viewerOrgId === dataset.orgId;
  return {
    ...dataset,
    isOpen: entry.isOpen,
    currentVersion: entry.currentVersion ? versionView(entry.currentVersion, isOwner) : null,
  };
}

export function datasetRoutes(
  app: FastifyInstance,
  datasets: DatasetService,
  options: { maxUploadBytes: number },
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/v1/datasets',
    {
      schema: {
        tags: ['datasets'],
        summary: 'Create a dataset (a draft until its first version is uploaded, confirmed and published)',
        body: Type.Object(
          {
            title: metadataFields.title,
            slug: Type.Optional(
              Type.String({
                pattern: '^[a-z][a-z0-9_]{0,62}$',
                description: 'its name in SQL; default from the title',
              }),
            ),
            description: Type.Optional(metadataFields.description),
            licence: metadataFields.licence,
            keywords: Type.Optional(metadataFields.keywords),
            themes: Type.Optional(metadataFields.themes),
            updateFrequency: Type.Optional(metadataFields.updateFrequency),
            spatial: Type.Optional(metadataFields.spatial),
            temporalStart: Type.Optional(metadataFields.temporalStart),
            temporalEnd: Type.Optional(metadataFields.temporalEnd),
            consentRequired: Type.Optional(metadataFields.consentRequired),
            subjectColumn: Type.Optional(metadataFields.subjectColumn),
            kThreshold: Type.Optional(metadataFields.kThreshold),
          },
          { additionalProperties: false },
        ),
        response: { 201: DatasetView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(datasetView(await datasets.create(principalOf(request), request.body))),
  );

  r.get(
    '/v1/datasets',
    {
      schema: {
        tags: ['datasets'],
        summary: 'Search the dataset catalogue: published datasets and your own drafts',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            orgId: Type.Optional(OrgId),
            theme: Type.Optional(Word),
            open: Type.Optional(Type.Boolean()),
          }),
        ]),
        response: { 200: PageOf(DatasetView) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const page = await datasets.list(principal, request.query);
      return {
        items: page.items.map((entry) => datasetView(entry, principal.orgId)),
        nextCursor: page.nextCursor,
      };
    },
  );

  r.get(
    '/v1/datasets/:datasetId',
    {
      schema: {
        tags: ['datasets'],
        params: Type.Object({ datasetId: DatasetId }),
        response: { 200: DatasetView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return datasetView(await datasets.get(principal, request.params.datasetId), principal.orgId);
    },
  );

  r.patch(
    '/v1/datasets/:datasetId',
    {
      schema: {
        tags: ['datasets'],
        summary: "Change a dataset's metadata",
        params: Type.Object({ datasetId: DatasetId }),
        body: Type.Partial(Type.Object(metadataFields), { additionalProperties: false, minProperties: 1 }),
        response: { 200: DatasetView },
      },
    },
    async (request) =>
      datasetView(await datasets.update(principalOf(request), request.params.datasetId, request.body)),
  );

  r.post(
    '/v1/datasets/:datasetId/versions',
    {
      bodyLimit: options.maxUploadBytes,
      schema: {
        tags: ['datasets'],
        summary:
          'Upload a new version as multipart/form-data: a `file` part (CSV, TSV, Parquet or JSON Lines), ' +
          'optionally preceded by a `format` field. Converted to Parquet; columns profiled and classified.',
        consumes: ['multipart/form-data'],
        params: Type.Object({ datasetId: DatasetId }),
        response: { 201: DatasetView },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError(
          'unsupported-media-type',
          'send the file as multipart/form-data with a part named file',
        );
      }
      const part = await request.file({ limits: { fileSize: options.maxUploadBytes, files: 1, fields: 5 } });
      if (!part) throw new AppError('validation-failed', 'file: the multipart body has no file part');
      const formatField = part.fields.format;
      const format =
        formatField && !Array.isArray(formatField) && formatField.type === 'field'
          ? String(formatField.value)
          : undefined;
      if (format !== undefined && !(datasetFormats as readonly string[]).includes(format)) {
        throw new AppError('validation-failed', `format: must be one of ${datasetFormats.join(', ')}`);
      }
      const entry = await datasets.addVersion(principalOf(request), request.params.datasetId, {
        stream: part.file,
        filename: part.filename || 'upload',
        format: format as DatasetVersion['sourceFormat'] | undefined,
      });
      if (part.file.truncated) throw new AppError('payload-too-large', 'the file is larger than allowed');
      return reply.code(201).send(datasetView(entry));
    },
  );

  r.get(
    '/v1/datasets/:datasetId/versions',
    {
      schema: {
        tags: ['datasets'],
        params: Type.Object({ datasetId: DatasetId }),
        response: { 200: PageOf(VersionView) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const entry = await datasets.get(principal, request.params.datasetId);
      const isOwner = entry.dataset.orgId === principal.orgId;
      return {
        items: (await datasets.listVersions(principal, request.params.datasetId)).map((version) =>
          versionView(version, isOwner),
        ),
        nextCursor: null,
      };
    },
  );

  r.put(
    '/v1/datasets/:datasetId/classifications',
    {
      schema: {
        tags: ['datasets'],
        summary:
          "Confirm the current version's column classifications (columns not named keep the suggestion)",
        params: Type.Object({ datasetId: DatasetId }),
        body: Type.Object(
          {
            columns: Type.Record(Type.String({ minLength: 1, maxLength: 128 }), ColumnClassification),
            descriptions: Type.Optional(
              Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 2000 })),
            ),
            quasiIdentifiers: Type.Optional(
              Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.Boolean(), {
                description:
                  'columns to count (true) or not (false) among the quasi-identifiers: birth date, sex, ' +
                  'postcode, district and whatever else someone could know about a person',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: DatasetView },
      },
    },
    async (request) =>
      datasetView(
        await datasets.confirmClassifications(principalOf(request), request.params.datasetId, request.body),
      ),
  );

  r.post(
    '/v1/datasets/:datasetId/publish',
    {
      schema: {
        tags: ['datasets'],
        summary:
          'Publish a dataset to the catalogue (its classifications must be confirmed; under an open ' +
          'licence, no column may be personal, sensitive or an identifier)',
        params: Type.Object({ datasetId: DatasetId }),
        response: {
          200: Type.Object({
            ...DatasetView.properties,
            dcatAp: Type.Object(
              {
                conforms: Type.Boolean(),
                warnings: Type.Array(RecordFindingView, {
                  description: 'DCAT-AP 3 recommendations the record does not meet (they do not block)',
                }),
              },
              { description: "the dataset's DCAT-AP 3 record, checked against the profile's shapes" },
            ),
          }),
        },
      },
    },
    async (request) => {
      const published = await datasets.publish(principalOf(request), request.params.datasetId, {
        baseUrl: baseUrlOf(request),
      });
      return {
        ...datasetView(published),
        dcatAp: { conforms: published.record?.conforms ?? true, warnings: published.record?.warnings ?? [] },
      };
    },
  );

  r.get(
    '/v1/datasets/:datasetId/risk',
    {
      schema: {
        tags: ['datasets'],
        summary:
          'Re-identification risk of the current version (owner): the share of rows unique on the ' +
          'quasi-identifiers, the smallest equivalence class k, and masks that would raise it',
        params: Type.Object({ datasetId: DatasetId }),
        response: {
          200: Type.Object({
            datasetId: Type.String(),
            versionId: NullableString,
            restrictedColumns: Type.Array(Type.String(), {
              description: 'personal, sensitive and identifier columns (risk is measured only with some)',
            }),
            risk: Type.Union([RiskAssessmentView, Type.Null()]),
          }),
        },
      },
    },
    async (request) => datasets.risk(principalOf(request), request.params.datasetId),
  );
}
