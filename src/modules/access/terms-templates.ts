import { and, asc, eq } from 'drizzle-orm';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, conflict, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AuditLedger } from '../audit/service.js';
import type { DatasetService } from '../catalog/datasets.js';
import type { DatasetColumn } from '../catalog/schema.js';
import { type Principal, requireKind, requireRole } from '../identity/principal.js';
import { datasetDefaultTerms, termsTemplates } from './schema.js';
import {
  type AgreementTerms,
  defaultMaxRowsPerQuery,
  defaultMinGroupSize,
  defaultRegions,
  parseTerms,
  type RequestedAccess,
  type TermsOverrides,
  TermsOverridesSchema,
} from './terms.js';

/** The longest agreement a template may allow, as long as the longest request may ask for. */
const maxTemplateDays = 3 * 366;

/**
 * The terms of a template: an approval's overrides (the agreement terms schema's own fields) less
 * what belongs to one agreement only — a date of expiry, a pinned version, a noise budget — with
 * the expiry as a number of days from the approval instead.
 */
const {
  expiresAt: _expiresAt,
  pinnedVersionId: _pinned,
  noise: _noise,
  ...templateFields
} = TermsOverridesSchema.properties;
export const TemplateTermsSchema = Type.Object(
  {
    ...templateFields,
    durationDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxTemplateDays,
        description: 'the longest an agreement under the template runs; a shorter request keeps its own',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "an approval's terms (schema: /v1/agreements/terms-schema) without expiresAt, pinnedVersionId and noise",
  },
);
export type TemplateTerms = Static<typeof TemplateTermsSchema>;

export type TermsTemplate = typeof termsTemplates.$inferSelect;

export interface TermsTemplateInput {
  description?: string | null;
  terms: TemplateTerms;
}

/**
 * A template's terms for one request: the template is the provider's standing offer, which the
 * request narrows — the columns both name (masks of the others fall away), download only when both
 * allow it, the earlier of the two expiries; masks, filters and limits are the template's.
 */
export function templateOverrides(terms: TemplateTerms, request: RequestedAccess, now: Date): TermsOverrides {
  const { durationDays, ...rest } = terms;
  const overrides: TermsOverrides = { ...rest };
  if (terms.columns) {
    overrides.columns = terms.columns.filter((name) => request.columns.includes(name));
    if (overrides.columns.length === 0) {
      throw new AppError('terms-invalid', 'the template grants none of the requested columns', {
        field: 'columns',
      });
    }
  }
  const granted = overrides.columns ?? request.columns;
  if (terms.masks) {
    overrides.masks = Object.fromEntries(
      Object.entries(terms.masks).filter(([column]) => granted.includes(column)),
    );
  }
  if (terms.actions) {
    const actions = terms.actions.filter((action) => action === 'query' || request.wantsDownload);
    overrides.actions = actions.length > 0 ? actions : ['query'];
  }
  if (durationDays !== undefined && durationDays < request.durationDays) {
    overrides.expiresAt = new Date(now.getTime() + durationDays * 86_400_000).toISOString();
  }
  return overrides;
}

/**
 * What is wrong with a template for a dataset of these columns, as the agreement terms' own parser
 * says it (a column the dataset lacks, a mask that does not fit its column's type); null when it
 * fits. A template without `columns` grants whatever is requested, so it is checked against all.
 */
export function templateMisfit(
  terms: TemplateTerms,
  columns: DatasetColumn[],
  now: Date,
): { field: string; message: string } | null {
  const aggregateOnly = terms.aggregateOnly ?? false;
  const candidate: AgreementTerms = {
    actions: terms.actions ?? ['query'],
    purpose: 'statistics',
    purposeText: '',
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    columns: terms.columns ?? columns.map((column) => column.name),
    masks: terms.masks ?? {},
    rowFilter: terms.rowFilter ?? [],
    aggregateOnly,
    minGroupSize: terms.minGroupSize ?? (aggregateOnly ? defaultMinGroupSize : null),
    maxQueries: terms.maxQueries ?? null,
    maxRowsPerQuery: terms.maxRowsPerQuery ?? defaultMaxRowsPerQuery,
    regions: terms.regions ?? defaultRegions,
    pinnedVersionId: null,
    duties: terms.duties ?? [],
    prohibitions: terms.prohibitions ?? [],
  };
  try {
    parseTerms(candidate, columns, now);
    return null;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'terms-invalid') throw error;
    return { field: String(error.extensions?.field ?? ''), message: error.message };
  }
}

/**
 * Named terms templates of a provider, and which one each of its datasets approves with by
 * default. Templates are the provider's own (matched by slug within it); a dataset's default is a
 * template of the same organisation and must fit the dataset's columns, checked when it is set and
 * whenever the template changes.
 */
export class TermsTemplateService {
  constructor(readonly deps: { db: Db; clock: Clock; audit: AuditLedger; datasets: DatasetService }) {}

  private get db() {
    return this.deps.db;
  }

  private actor(principal: Principal) {
    return { type: principal.type, id: principal.userId };
  }

  private parse(terms: unknown): TemplateTerms {
    const [first] = Value.Errors(TemplateTermsSchema, terms);
    if (first) {
      throw new AppError(
        'terms-invalid',
        `terms${first.instancePath.replaceAll('/', '.')}: ${first.message}`,
        {
          field: `terms${first.instancePath.replaceAll('/', '.')}`,
        },
      );
    }
    return terms as TemplateTerms;
  }

  /** The organisation's templates, by slug. */
  async list(principal: Principal): Promise<(TermsTemplate & { datasetIds: string[] })[]> {
    const rows = await this.db
      .select()
      .from(termsTemplates)
      .where(eq(termsTemplates.orgId, principal.orgId))
      .orderBy(asc(termsTemplates.slug));
    const defaults = await this.defaultsOf(principal);
    return rows.map((row) => ({
      ...row,
      datasetIds: [...defaults].filter(([, slug]) => slug === row.slug).map(([datasetId]) => datasetId),
    }));
  }

  /** Each of the organisation's datasets that has a default template, with the template's slug. */
  async defaultsOf(principal: Principal): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ datasetId: datasetDefaultTerms.datasetId, slug: termsTemplates.slug })
      .from(datasetDefaultTerms)
      .innerJoin(termsTemplates, eq(termsTemplates.id, datasetDefaultTerms.templateId))
      .where(eq(datasetDefaultTerms.orgId, principal.orgId));
    return new Map(rows.map((row) => [row.datasetId, row.slug]));
  }

  async findBySlug(orgId: string, slug: string): Promise<TermsTemplate | null> {
    const [row] = await this.db
      .select()
      .from(termsTemplates)
      .where(and(eq(termsTemplates.orgId, orgId), eq(termsTemplates.slug, slug)));
    return row ?? null;
  }

  /** The template a dataset approves with when the provider gives no terms; null when it has none. */
  async defaultFor(datasetId: string): Promise<TermsTemplate | null> {
    const [row] = await this.db
      .select({ template: termsTemplates })
      .from(datasetDefaultTerms)
      .innerJoin(termsTemplates, eq(termsTemplates.id, datasetDefaultTerms.templateId))
      .where(eq(datasetDefaultTerms.datasetId, datasetId));
    return row?.template ?? null;
  }

  private async owned(principal: Principal, slug: string): Promise<TermsTemplate> {
    const row = await this.findBySlug(principal.orgId, slug);
    if (!row) throw notFound(`terms template ${slug}`);
    return row;
  }

  /** Refuses terms that do not fit a dataset (of the caller's) that has a current version. */
  private async checkFits(principal: Principal, slug: string, terms: TemplateTerms, datasetId: string) {
    const entry = await this.deps.datasets.get(principal, datasetId);
    if (!entry.currentVersion) return;
    const misfit = templateMisfit(terms, entry.currentVersion.columns, this.deps.clock.now());
    if (misfit) {
      throw new AppError(
        'terms-invalid',
        `terms template "${slug}" does not fit dataset "${entry.dataset.slug}": ${misfit.message}`,
        { field: misfit.field, template: slug, dataset: entry.dataset.slug },
      );
    }
  }

  async create(principal: Principal, slug: string, input: TermsTemplateInput): Promise<TermsTemplate> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const terms = this.parse(input.terms);
    const now = this.deps.clock.now();
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(termsTemplates)
          .values({
            id: newId('termsTemplate'),
            orgId: principal.orgId,
            slug,
            description: input.description ?? null,
            terms,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await this.deps.audit.append(tx, {
          actor: this.actor(principal),
          orgId: principal.orgId,
          action: 'terms-template.create',
          object: { type: 'terms-template', id: row!.id },
          data: { slug, description: input.description ?? null, terms },
        });
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('already-exists', `your organisation has a terms template "${slug}"`);
      }
      throw error;
    }
  }

  /** Changes a template; every dataset that approves with it by default must still fit it. */
  async update(principal: Principal, slug: string, input: TermsTemplateInput): Promise<TermsTemplate> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const template = await this.owned(principal, slug);
    const terms = this.parse(input.terms);
    const users = await this.db
      .select({ datasetId: datasetDefaultTerms.datasetId })
      .from(datasetDefaultTerms)
      .where(eq(datasetDefaultTerms.templateId, template.id));
    for (const { datasetId } of users) await this.checkFits(principal, slug, terms, datasetId);
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(termsTemplates)
        .set({ description: input.description ?? null, terms, updatedAt: this.deps.clock.now() })
        .where(eq(termsTemplates.id, template.id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'terms-template.update',
        object: { type: 'terms-template', id: template.id },
        data: { slug, description: input.description ?? null, terms },
      });
      return row!;
    });
  }

  /** Removes a template no dataset approves with by default. */
  async delete(principal: Principal, slug: string): Promise<void> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const template = await this.owned(principal, slug);
    await this.db.transaction(async (tx) => {
      const users = await tx
        .select({ datasetId: datasetDefaultTerms.datasetId })
        .from(datasetDefaultTerms)
        .where(eq(datasetDefaultTerms.templateId, template.id));
      if (users.length > 0) {
        throw conflict(
          `terms template "${slug}" is the default of ${users.map((u) => u.datasetId).join(', ')}; set theirs first`,
        );
      }
      await tx.delete(termsTemplates).where(eq(termsTemplates.id, template.id));
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'terms-template.delete',
        object: { type: 'terms-template', id: template.id },
        data: { slug },
      });
    });
  }

  /** Names the template a dataset of the caller's approves with by default; null: none. */
  async setDatasetDefault(principal: Principal, datasetId: string, slug: string | null): Promise<void> {
    requireKind(principal, 'provider');
    requireRole(principal, 'admin');
    const entry = await this.deps.datasets.get(principal, datasetId);
    if (entry.dataset.orgId !== principal.orgId) throw notFound(`dataset ${datasetId}`);
    const template = slug === null ? null : await this.owned(principal, slug);
    if (template) await this.checkFits(principal, template.slug, template.terms, datasetId);
    await this.db.transaction(async (tx) => {
      await tx.delete(datasetDefaultTerms).where(eq(datasetDefaultTerms.datasetId, datasetId));
      if (template) {
        await tx.insert(datasetDefaultTerms).values({
          datasetId,
          orgId: principal.orgId,
          templateId: template.id,
          updatedAt: this.deps.clock.now(),
        });
      }
      await this.deps.audit.append(tx, {
        actor: this.actor(principal),
        orgId: principal.orgId,
        action: 'dataset.default-terms',
        object: { type: 'dataset', id: datasetId },
        data: { template: slug },
      });
    });
  }
}
