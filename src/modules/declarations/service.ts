import { desc, eq } from 'drizzle-orm';
import { Value } from 'typebox/value';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, forbidden, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import type { PlanInput } from '../access/service.js';
import { type TemplateTerms, templateMisfit } from '../access/terms-templates.js';
import type { AuditLedger } from '../audit/service.js';
import type { Principal } from '../identity/principal.js';
import { requireRole } from '../identity/principal.js';
import { type Declaration, type DeclarationRequest, DeclarationSchema } from './format.js';
import { type DeclarationServices, type LiveState, readLiveState } from './live.js';
import {
  type Change,
  type DeclaredObject,
  declarationHash,
  diffObjects,
  duplicateKeys,
  type FieldChange,
  type Note,
  objectsOf,
  templateTermsOf,
} from './model.js';
import { declarationApplies } from './schema.js';

export interface DeclarationPlan {
  organisation: string;
  /** sha256 of the declaration (documents by digest): what the ledger entries of an apply name. */
  hash: string;
  changes: Change[];
  notes: Note[];
}

export interface AppliedChange extends Change {
  /** The ids of the objects the change made or touched. */
  ids: string[];
}

export interface DeclarationApply {
  organisation: string;
  hash: string;
  applied: AppliedChange[];
  notes: Note[];
}

export interface DeclarationExport {
  declaration: Declaration;
  /** The OpenAPI documents the declaration names, by path (relative to the file). */
  documents: Record<string, string>;
}

/** An object changed since the last apply, by someone or something other than a declaration file. */
export interface DriftEntry {
  /** `changed`: fields differ; `added`: made outside the file; `removed`: gone outside the file. */
  drift: 'changed' | 'added' | 'removed';
  kind: DeclaredObject['kind'];
  key: string;
  fields: FieldChange[];
}

export interface DeclarationDrift {
  organisation: string;
  /** The last apply drift is measured from; null when no file was ever applied. */
  lastApply: { hash: string; appliedAt: Date; isComplete: boolean } | null;
  drift: DriftEntry[];
}

/** A parsed request: the declaration (validated), its documents and secrets. */
interface Parsed {
  declaration: Declaration;
  documents: Record<string, string>;
  secrets: Record<string, string>;
  prune: boolean;
  hash: string;
  desired: DeclaredObject[];
}

/**
 * Everything as code: plan, apply, export and drift of one organisation's declaration file. Every
 * change goes through the service that owns the object, with the caller as principal, so the
 * authorisation and the ledger entry are exactly the API's; the entry also names the declaration's
 * hash (the ledger's context, see AuditLedger.withContext).
 *
 * An apply is not one transaction: each change commits with its own ledger entry, in dependency
 * order, and the first refusal stops it. What was applied stays, consistent (each change is whole);
 * the refusal names the object, the reason and what had been applied. Re-applying the file after
 * fixing the cause carries on from there, since plan compares with the live state. (Sent with an
 * Idempotency-Key, the request's own transaction holds every change and commits with the refusal
 * too: src/http/idempotency.ts.)
 */
export class DeclarationService {
  constructor(readonly deps: DeclarationServices & { db: Db; clock: Clock; audit: AuditLedger }) {}

  /** The slug of the caller's organisation: a file must name it, so no file lands on another. */
  private async organisationOf(principal: Principal): Promise<string> {
    const [org] = await this.deps.identity.organisationsByIds([principal.orgId]);
    if (!org) throw forbidden('your organisation was not found');
    return org.slug;
  }

  private async parse(principal: Principal, request: DeclarationRequest): Promise<Parsed> {
    const candidate = request.declaration as unknown;
    const errors = [...Value.Errors(DeclarationSchema, candidate)];
    const [first] = errors;
    if (first) {
      const field = `declaration${first.instancePath.replaceAll('/', '.')}`;
      throw new AppError('validation-failed', `${field}: ${first.message}`, {
        errors: errors.slice(0, 20).map((error) => ({
          field: `declaration${error.instancePath.replaceAll('/', '.')}`,
          message: error.message,
        })),
      });
    }
    const declaration = candidate as Declaration;
    const organisation = await this.organisationOf(principal);
    if (declaration.organisation !== organisation) {
      throw forbidden(
        `the file declares organisation "${declaration.organisation}"; you act for "${organisation}"`,
      );
    }
    const documents = request.documents ?? {};
    for (const [i, api] of (declaration.apis ?? []).entries()) {
      if (documents[api.openapi] === undefined) {
        throw validationFailed(`declaration.apis.${i}.openapi`, `the document ${api.openapi} was not sent`);
      }
      if (api.allowedOrgs && api.visibility !== 'orgs') {
        throw validationFailed(`declaration.apis.${i}.allowedOrgs`, 'applies with visibility orgs only');
      }
    }
    const desired = objectsOf(declaration, documents);
    const [duplicate] = duplicateKeys(desired);
    if (duplicate) {
      throw validationFailed('declaration', `${duplicate.kind} "${duplicate.key}" is declared twice`);
    }
    return {
      declaration,
      documents,
      secrets: request.secrets ?? {},
      prune: request.prune ?? false,
      hash: declarationHash(declaration, documents),
      desired,
    };
  }

  /**
   * Refuses, before anything changes, a dataset's default terms template that the file does not
   * declare and the organisation does not have, or whose terms do not fit the dataset's columns
   * (a column it lacks, a mask that does not fit a column's type). A dataset without data yet has
   * no columns to check against: its first approval checks them.
   */
  private checkDefaultTerms(parsed: Parsed, live: LiveState): void {
    const declared = new Map(
      (parsed.declaration.termsTemplates ?? []).map((template, index) => [
        template.slug,
        { template, index },
      ]),
    );
    const existing = new Map((live.declaration.termsTemplates ?? []).map((t) => [t.slug, t.terms]));
    const now = this.deps.clock.now();
    for (const [i, dataset] of (parsed.declaration.datasets ?? []).entries()) {
      const slug = dataset.defaultTerms;
      if (slug === undefined) continue;
      const own = declared.get(slug);
      const terms = own?.template.terms ?? existing.get(slug);
      if (!terms) {
        throw validationFailed(
          `declaration.datasets.${i}.defaultTerms`,
          `no terms template "${slug}": declare it under termsTemplates`,
        );
      }
      const columns = live.columns.get(dataset.slug);
      const misfit = columns ? templateMisfit(terms, columns, now) : null;
      if (misfit) {
        throw validationFailed(
          own
            ? `declaration.termsTemplates.${own.index}.terms.${misfit.field}`
            : `declaration.datasets.${i}.defaultTerms`,
          `terms template "${slug}" does not fit dataset "${dataset.slug}": ${misfit.message}`,
        );
      }
    }
  }

  private liveObjects(live: LiveState): DeclaredObject[] {
    return objectsOf(live.declaration, live.documents);
  }

  /** The published JSON Schema of the file. */
  schema() {
    return DeclarationSchema;
  }

  /** The live state as a declaration file: exported, then planned, it shows no change. */
  async export(principal: Principal): Promise<DeclarationExport> {
    const live = await readLiveState(this.deps, principal, await this.organisationOf(principal));
    return { declaration: live.declaration, documents: live.documents };
  }

  async plan(principal: Principal, request: DeclarationRequest): Promise<DeclarationPlan> {
    const parsed = await this.parse(principal, request);
    const live = await readLiveState(this.deps, principal, parsed.declaration.organisation);
    this.checkDefaultTerms(parsed, live);
    const diff = diffObjects(parsed.desired, this.liveObjects(live), {
      prune: parsed.prune,
      datasetsWithData: live.datasetsWithData,
    });
    return { organisation: parsed.declaration.organisation, hash: parsed.hash, ...diff };
  }

  /**
   * Applies the plan, change by change; only the organisation's admins may (each service checks
   * its own rules on top). Refused changes stop the apply with the object, the reason and what was
   * applied before; either way the state reached is recorded as the baseline of drift.
   */
  async apply(principal: Principal, request: DeclarationRequest): Promise<DeclarationApply> {
    requireRole(principal, 'admin');
    const parsed = await this.parse(principal, request);
    const live = await readLiveState(this.deps, principal, parsed.declaration.organisation);
    this.checkDefaultTerms(parsed, live);
    const { changes, notes } = diffObjects(parsed.desired, this.liveObjects(live), {
      prune: parsed.prune,
      datasetsWithData: live.datasetsWithData,
    });
    const byId = new Map(parsed.desired.map((object) => [`${object.kind}\u0000${object.key}`, object]));
    const applied: AppliedChange[] = [];
    let refusal: AppError | undefined;
    await this.deps.audit.withContext({ declaration: parsed.hash }, async () => {
      for (const change of changes) {
        const object = byId.get(`${change.kind}\u0000${change.key}`);
        try {
          const ids = await this.applyChange(principal, parsed, live, change, object);
          applied.push({ ...change, ids });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          refusal = new AppError(
            error.code,
            `${change.action} ${change.kind} "${change.key}" was refused: ${error.message}`,
            {
              ...error.extensions,
              hash: parsed.hash,
              stoppedAt: { action: change.action, kind: change.kind, key: change.key, reason: error.message },
              applied,
              remaining: changes.length - applied.length,
            },
          );
          return;
        }
      }
    });
    // The drift baseline moves when something changed, or when another file is applied: applying
    // the same file again, with nothing to do, writes nothing at all.
    const last = await this.lastApply(principal.orgId);
    if (applied.length > 0 || (!refusal && last?.hash !== parsed.hash)) {
      await this.record(principal, parsed, applied.length, !refusal);
    }
    if (refusal) throw refusal;
    return { organisation: parsed.declaration.organisation, hash: parsed.hash, applied, notes };
  }

  private async lastApply(orgId: string) {
    const [last] = await this.deps.db
      .select()
      .from(declarationApplies)
      .where(eq(declarationApplies.orgId, orgId))
      .orderBy(desc(declarationApplies.appliedAt), desc(declarationApplies.id))
      .limit(1);
    return last;
  }

  /** Keeps the state an apply reached (and a ledger entry saying so): the baseline of drift. */
  private async record(principal: Principal, parsed: Parsed, changes: number, isComplete: boolean) {
    const live = await readLiveState(this.deps, principal, parsed.declaration.organisation);
    const id = newId('declarationApply');
    await this.deps.db.transaction(async (tx) => {
      await tx.insert(declarationApplies).values({
        id,
        orgId: principal.orgId,
        hash: parsed.hash,
        isComplete,
        changes,
        objects: this.liveObjects(live),
        appliedBy: principal.userId,
        appliedAt: this.deps.clock.now(),
      });
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'declaration.apply',
        object: { type: 'declaration-apply', id },
        data: { hash: parsed.hash, changes, isComplete },
      });
    });
  }

  /** What changed since the last apply, outside the file: the recorded state against the live one. */
  async drift(principal: Principal): Promise<DeclarationDrift> {
    const organisation = await this.organisationOf(principal);
    const last = await this.lastApply(principal.orgId);
    if (!last) return { organisation, lastApply: null, drift: [] };
    const live = this.liveObjects(await readLiveState(this.deps, principal, organisation));
    const diff = diffObjects(live, last.objects, {
      prune: true,
      datasetsWithData: allKeysOf(live, last.objects),
    });
    const drift: DriftEntry[] = diff.changes.map((change) => ({
      drift: change.action === 'create' ? 'added' : change.action === 'delete' ? 'removed' : 'changed',
      kind: change.kind,
      key: change.key,
      // The diff runs from the recorded state to the live one: `from` is what the file left.
      fields: change.fields,
    }));
    // What the platform cannot remove is a note in a plan, but in drift it is as gone as any object.
    const liveIds = new Set(live.map((object) => `${object.kind}\u0000${object.key}`));
    for (const object of last.objects) {
      if (
        !liveIds.has(`${object.kind}\u0000${object.key}`) &&
        !drift.some((d) => d.kind === object.kind && d.key === object.key)
      ) {
        drift.push({ drift: 'removed', kind: object.kind, key: object.key, fields: [] });
      }
    }
    return {
      organisation,
      lastApply: { hash: last.hash, appliedAt: last.appliedAt, isComplete: last.isComplete },
      drift,
    };
  }

  // ---- one change through its service ------------------------------------------------------------

  private async allowedOrgIds(slugs: string[], index: string): Promise<string[]> {
    const ids: string[] = [];
    for (const slug of slugs) {
      const org = await this.deps.identity.findOrganisationBySlug(slug);
      if (!org) throw validationFailed(`${index}.allowedOrgs`, `no organisation has the slug "${slug}"`);
      ids.push(org.id);
    }
    return ids;
  }

  private async applyChange(
    principal: Principal,
    parsed: Parsed,
    live: LiveState,
    change: Change,
    object: DeclaredObject | undefined,
  ): Promise<string[]> {
    const { catalog, access, templates, consents, datasets, webhooks, harvest, labs } = this.deps;
    const fields = object?.fields ?? {};
    const changed = new Set(change.fields.map((field) => field.field));
    const apiId = (slug: string) => {
      const id = live.ids.apis.get(slug);
      if (!id) throw conflict(`api "${slug}" does not exist`);
      return id;
    };
    switch (change.kind) {
      case 'api': {
        const declared = parsed.declaration.apis!.find((api) => api.slug === change.key)!;
        const document = parsed.documents[declared.openapi]!;
        const settings = {
          upstreamUrl: declared.upstream,
          visibility: fields.visibility as 'public' | 'private' | 'orgs',
          allowedOrgIds: await this.allowedOrgIds(declared.allowedOrgs ?? [], `apis.${change.key}`),
          category: fields.category as string | null,
          tags: fields.tags as string[],
          validateRequests: fields.validateRequests as boolean,
        };
        if (change.action === 'create') {
          const { api } = await catalog.importApi(principal, { document, slug: change.key, ...settings });
          live.ids.apis.set(change.key, api.id);
          return [api.id];
        }
        const id = apiId(change.key);
        if (changed.has('openapi')) await catalog.addVersion(principal, id, { document });
        const patch = Object.fromEntries(
          (
            [
              ['upstream', 'upstreamUrl'],
              ['visibility', 'visibility'],
              ['allowedOrgs', 'allowedOrgIds'],
              ['category', 'category'],
              ['tags', 'tags'],
              ['validateRequests', 'validateRequests'],
            ] as const
          )
            .filter(([field]) => changed.has(field))
            .map(([, setting]) => [setting, settings[setting]]),
        );
        if (Object.keys(patch).length > 0) await catalog.update(principal, id, patch);
        return [id];
      }
      case 'api-consent': {
        const id = apiId(change.key);
        if (change.action === 'delete') await consents.removeApiRequirement(principal, id);
        else
          await consents.setApiRequirement(principal, id, {
            purpose: fields.purpose as never,
            subjectRequired: fields.subjectRequired as boolean,
          });
        return [id];
      }
      case 'api-deprecation': {
        // Never a delete: the diff leaves a dropped deprecation in place with a note.
        const id = apiId(change.key);
        const { currentVersion } = await catalog.get(principal, id);
        await catalog.deprecateVersion(principal, id, currentVersion.id, {
          sunsetAt: new Date(fields.sunsetAt as string),
          ...(fields.deprecatedAt !== undefined
            ? { deprecatedAt: new Date(fields.deprecatedAt as string) }
            : {}),
          link: fields.link as string | null,
          successorApiId: fields.successor === null ? null : apiId(fields.successor as string),
        });
        return [id];
      }
      case 'plan': {
        const slash = change.key.indexOf('/');
        const [slug, name] = [change.key.slice(0, slash), change.key.slice(slash + 1)];
        if (change.action === 'delete') {
          const id = live.ids.plans.get(change.key)!;
          await access.archivePlan(principal, id);
          return [id];
        }
        const input: PlanInput = {
          name,
          ...(fields.description !== null ? { description: fields.description as string } : {}),
          rateLimitPerSecond: fields.rateLimitPerSecond as number,
          burst: fields.burst as number,
          monthlyQuota: fields.monthlyQuota as number | null,
          requiresApproval: fields.requiresApproval as boolean,
          includedTags: fields.includedTags as string[],
          includedPaths: fields.includedPaths as string[],
        };
        if (change.action === 'create') {
          const plan = await access.createPlan(principal, apiId(slug), input);
          live.ids.plans.set(change.key, plan.id);
          return [plan.id];
        }
        const id = live.ids.plans.get(change.key)!;
        const patch = Object.fromEntries(
          Object.entries({ ...input, description: fields.description }).filter(([field]) =>
            changed.has(field),
          ),
        ) as Partial<PlanInput>;
        await access.updatePlan(principal, id, patch);
        return [id];
      }
      case 'terms-template': {
        if (change.action === 'delete') {
          const id = live.ids.termsTemplates.get(change.key)!;
          await templates.delete(principal, change.key);
          return [id];
        }
        const input = {
          description: fields.description as string | null,
          terms: templateTermsOf(fields) as TemplateTerms,
        };
        const template =
          change.action === 'create'
            ? await templates.create(principal, change.key, input)
            : await templates.update(principal, change.key, input);
        live.ids.termsTemplates.set(change.key, template.id);
        return [template.id];
      }
      case 'dataset-terms': {
        const id = live.ids.datasets.get(change.key)!;
        await templates.setDatasetDefault(
          principal,
          id,
          change.action === 'delete' ? null : (fields.template as string),
        );
        return [id];
      }
      case 'dataset': {
        const metadata = fields as unknown as Parameters<typeof datasets.create>[1];
        if (change.action === 'create') {
          const { dataset } = await datasets.create(principal, { slug: change.key, ...metadata });
          live.ids.datasets.set(change.key, dataset.id);
          return [dataset.id];
        }
        const id = live.ids.datasets.get(change.key)!;
        const patch = Object.fromEntries(Object.entries(fields).filter(([field]) => changed.has(field)));
        await datasets.update(principal, id, patch);
        return [id];
      }
      case 'dataset-classifications': {
        const id = live.ids.datasets.get(change.key)!;
        const columns = Object.fromEntries(
          Object.entries(fields).map(([field, value]) => [field.slice('columns.'.length), value]),
        );
        await datasets.confirmClassifications(principal, id, { columns: columns as never });
        return [id];
      }
      case 'dataset-publication': {
        const id = live.ids.datasets.get(change.key)!;
        if (fields.published !== true) {
          throw conflict('a published dataset stays published: a declaration cannot withdraw it');
        }
        await datasets.publish(principal, id);
        return [id];
      }
      case 'webhook': {
        const ids: string[] = [];
        // Webhooks have no edit: a change of events replaces the webhook (with the file's secret).
        if (change.action !== 'create') {
          const id = live.ids.webhooks.get(change.key)!;
          await webhooks.delete(principal, id);
          ids.push(id);
          if (change.action === 'delete') return ids;
        }
        const secretEnv = object!.extra!.secretEnv as string;
        const secret = parsed.secrets[secretEnv];
        if (secret === undefined) {
          throw validationFailed(
            `secrets.${secretEnv}`,
            `set ${secretEnv} to the webhook's signing secret (whsec_…)`,
          );
        }
        const { webhook } = await webhooks.create(principal, {
          url: change.key,
          events: fields.events as string[],
          secret,
        });
        live.ids.webhooks.set(change.key, webhook.id);
        return [...ids, webhook.id];
      }
      case 'harvest-source': {
        const ids: string[] = [];
        // Harvest sources have no edit either: a changed source is disabled and registered anew.
        if (change.action !== 'create') {
          const id = live.ids.harvestSources.get(change.key)!;
          await harvest.disable(principal, id);
          ids.push(id);
          if (change.action === 'delete') return ids;
        }
        const source = await harvest.create(principal, {
          name: change.key,
          kind: fields.kind as 'ckan' | 'dcat',
          url: fields.url as string,
          intervalHours: fields.intervalHours as number | null,
          options: fields.options as never,
        });
        live.ids.harvestSources.set(change.key, source.id);
        return [...ids, source.id];
      }
      case 'lab': {
        if (change.action !== 'create') {
          throw conflict(
            "a lab's settings are fixed once it is created (its budget and bounds are what researchers agreed to)",
          );
        }
        const { lab } = await labs.create(principal, { name: change.key, ...(fields as object) });
        return [lab.id];
      }
    }
  }
}

/** Every key of both lists, as the set of datasets drift need not wait for data on. */
function allKeysOf(...lists: DeclaredObject[][]): Set<string> {
  return new Set(lists.flatMap((list) => list.map((object) => object.key)));
}
