import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import type { ChangeFeed } from '../../infra/change-feed.js';
import type { AccessService, Plan, PlanInput } from '../access/service.js';
import type { AuditLedger } from '../audit/service.js';
import type { ApiVisibility } from '../catalog/schema.js';
import type { CatalogService } from '../catalog/service.js';
import type { Principal } from '../identity/principal.js';
import { labModels } from './schema.js';
import type { LabService } from './service.js';
import { modelDocument, modelUpstream, servableProblem } from './serving.js';

export interface PublishModelInput {
  slug: string;
  title?: string;
  description?: string;
  visibility?: ApiVisibility;
  allowedOrgIds?: string[];
  plan?: Partial<PlanInput>;
}

/** Where a model is published: its API and whether the API was retired (unpublished). */
export interface ModelPublicationState {
  apiId: string;
  slug: string;
  isRetired: boolean;
}

export interface PublishedModel {
  api: { id: string; slug: string; visibility: ApiVisibility; builtinUpstream: string };
  plan: Plan;
  modelId: string;
}

/** The plan a published model gets unless the owner says otherwise: open, 10 calls a second. */
export const defaultModelPlan: PlanInput = {
  name: 'standard',
  rateLimitPerSecond: 10,
  burst: 20,
  monthlyQuota: null,
  requiresApproval: false,
};

/**
 * Publishing a released lab model as an API in the hub. One transaction: the API (catalogue, with a
 * built-in upstream `lab-model:{modelId}` and a document generated from the model card), its first
 * plan (access) and the `lab.model.publish` ledger entry commit together or not at all — a failure
 * at any step (a taken slug, a bad plan) leaves no API behind. The gateway is told after the commit.
 *
 * Only the lab's owner publishes, and only a released model: publication is a new release of the
 * model to everyone the API is visible to, which output review has already cleared.
 */
export class ModelPublication {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      changes: ChangeFeed;
      labs: LabService;
      catalog: CatalogService;
      access: AccessService;
    },
  ) {}

  async publish(
    principal: Principal,
    labId: string,
    modelId: string,
    input: PublishModelInput,
  ): Promise<PublishedModel> {
    const { lab } = await this.deps.labs.requireLabRole(principal, labId, 'owner');
    const [model] = await this.deps.db
      .select()
      .from(labModels)
      .where(and(eq(labModels.labId, labId), eq(labModels.id, modelId)));
    if (!model) throw notFound(`lab model ${modelId}`);
    if (model.state !== 'released') {
      throw new AppError(
        'forbidden',
        `model ${modelId} is ${model.state}: only a released model can be published`,
      );
    }
    const unservable = servableProblem(model.card);
    if (unservable) throw validationFailed('modelId', `cannot be served: ${unservable}`);
    const plan: PlanInput = { ...defaultModelPlan, ...input.plan };
    if (plan.burst < plan.rateLimitPerSecond) {
      throw validationFailed('plan.burst', 'must be at least the rate limit per second');
    }
    const title = input.title ?? `${model.card.name} (${lab.name})`;
    const document = modelDocument(model.card, {
      title,
      ...(input.description ? { description: input.description } : {}),
    });
    const builtinUpstream = modelUpstream(modelId);
    const published = await this.deps.db.transaction(async (tx) => {
      const detail = await this.deps.catalog.importBuiltinApi(
        tx,
        principal,
        {
          slug: input.slug,
          document,
          visibility: input.visibility ?? 'private',
          ...(input.allowedOrgIds ? { allowedOrgIds: input.allowedOrgIds } : {}),
          category: 'health',
          tags: ['data-lab', 'model', model.card.kind],
        },
        builtinUpstream,
      );
      const created = await this.deps.access.createPlanIn(tx, principal, detail.api, plan);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'lab.model.publish',
        object: { type: 'lab-model', id: modelId },
        decision: 'allow',
        data: {
          labId,
          name: model.name,
          version: model.version,
          apiId: detail.api.id,
          slug: detail.api.slug,
          planId: created.id,
          visibility: detail.api.visibility,
          specSha256: model.card.specSha256,
        },
      });
      return {
        api: {
          id: detail.api.id,
          slug: detail.api.slug,
          visibility: detail.api.visibility,
          builtinUpstream,
        },
        plan: created,
        modelId,
      };
    });
    await this.deps.changes.notify('gateway').catch(() => {});
    return published;
  }

  /**
   * Withdraws a published model (lab owner): its API's current version is retired at once through
   * the hub's retirement (catalogue `retireBuiltinApi`): the gateway answers `predict` with 410
   * `api-version-sunset`, the organisations that called it in the last 30 days are told, and the
   * sunset and the `lab.model.unpublish` entry commit with it. The API stays in the catalogue, its
   * slug taken, so an old client's call is refused rather than answered by someone else's model.
   */
  async unpublish(
    principal: Principal,
    labId: string,
    modelId: string,
    reason?: string,
  ): Promise<ModelPublicationState> {
    await this.deps.labs.requireLabRole(principal, labId, 'owner');
    const [model] = await this.deps.db
      .select()
      .from(labModels)
      .where(and(eq(labModels.labId, labId), eq(labModels.id, modelId)));
    if (!model) throw notFound(`lab model ${modelId}`);
    const published = (await this.publicationsOf([modelId])).get(modelId);
    if (!published) throw conflict(`model ${modelId} is not published`);
    if (published.isRetired) throw conflict(`model ${modelId} was unpublished already`);
    const why = reason ?? 'the lab owner unpublished the model';
    const state = await this.deps.db.transaction(async (tx) => {
      const retiring = await this.deps.catalog.retireBuiltinApi(tx, principal, modelUpstream(modelId), why);
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'lab.model.unpublish',
        object: { type: 'lab-model', id: modelId },
        decision: 'deny',
        reason: why,
        data: {
          labId,
          name: model.name,
          version: model.version,
          apiId: retiring.api.id,
          slug: retiring.api.slug,
          sunsetAt: retiring.version.sunsetAt.toISOString(),
        },
      });
      return { apiId: retiring.api.id, slug: retiring.api.slug, isRetired: true };
    });
    await this.deps.changes.notify('gateway').catch(() => {});
    return state;
  }

  /** Where each of these models is published, if it is (a model is published at most once). */
  async publicationsOf(modelIds: string[]): Promise<Map<string, ModelPublicationState>> {
    const wanted = new Set(modelIds);
    const now = this.deps.clock.now().getTime();
    const found = new Map<string, ModelPublicationState>();
    for (const api of await this.deps.catalog.builtinApis('lab-model')) {
      const modelId = api.builtinUpstream.slice('lab-model:'.length);
      if (!wanted.has(modelId)) continue;
      found.set(modelId, {
        apiId: api.id,
        slug: api.slug,
        isRetired: api.sunsetAt !== null && api.sunsetAt.getTime() <= now,
      });
    }
    return found;
  }
}
