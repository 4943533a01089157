import type { AccessService } from '../access/service.js';
import type { TermsTemplateService } from '../access/terms-templates.js';
import type { DatasetService } from '../catalog/datasets.js';
import type { DatasetColumn } from '../catalog/schema.js';
import type { CatalogService } from '../catalog/service.js';
import type { WebhookService } from '../community/webhooks.js';
import type { ConsentService } from '../consent/service.js';
import type { HarvestService } from '../harvest/index.js';
import type { Principal } from '../identity/principal.js';
import type { IdentityService } from '../identity/service.js';
import type { LabService } from '../lab/service.js';
import type {
  ApiDeclaration,
  DatasetDeclaration,
  Declaration,
  HarvestSourceDeclaration,
  LabDeclaration,
  TermsTemplateDeclaration,
  WebhookDeclaration,
} from './format.js';
import { declarationFormat } from './format.js';

/** The services a declaration is read from and applied through: the same ones the API uses. */
export interface DeclarationServices {
  identity: IdentityService;
  catalog: CatalogService;
  access: AccessService;
  templates: TermsTemplateService;
  consents: ConsentService;
  datasets: DatasetService;
  webhooks: WebhookService;
  harvest: HarvestService;
  labs: LabService;
}

/** The live state of one organisation, as a declaration, with what apply needs to reach each object. */
export interface LiveState {
  declaration: Declaration;
  /** The current version's document of each API, by the path the declaration names it with. */
  documents: Record<string, string>;
  datasetsWithData: Set<string>;
  /** The columns of each dataset's current version, by slug: what a terms template must fit. */
  columns: Map<string, DatasetColumn[]>;
  ids: {
    apis: Map<string, string>;
    plans: Map<string, string>;
    datasets: Map<string, string>;
    webhooks: Map<string, string>;
    harvestSources: Map<string, string>;
    termsTemplates: Map<string, string>;
  };
}

const pageSize = 200;

async function allPages<T>(
  read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * Reads what the caller's organisation owns, through each service's own reads (so the same
 * visibility rules hold), keeping only its own objects: an operator's wider view of harvest
 * sources and labs is cut back to its organisation here. Harvested datasets are their source's,
 * not the file's, and archived plans and disabled sources are gone as far as a file is concerned.
 */
export async function readLiveState(
  services: DeclarationServices,
  principal: Principal,
  organisation: string,
): Promise<LiveState> {
  const { catalog, access, templates, consents, datasets, webhooks, harvest, labs, identity } = services;
  const ids: LiveState['ids'] = {
    apis: new Map(),
    plans: new Map(),
    datasets: new Map(),
    webhooks: new Map(),
    harvestSources: new Map(),
    termsTemplates: new Map(),
  };
  const documents: Record<string, string> = {};

  const apiEntries = await allPages((cursor) =>
    catalog.list(principal, { orgId: principal.orgId, cursor, limit: pageSize }),
  );
  const allowedIds = [...new Set(apiEntries.flatMap((entry) => entry.api.allowedOrgIds))];
  const slugById = new Map(
    (await identity.organisationsByIds(allowedIds)).map((org) => [org.id, org.slug] as const),
  );
  const apiSlugById = new Map(apiEntries.map((entry) => [entry.api.id, entry.api.slug] as const));
  const apis: ApiDeclaration[] = [];
  for (const { api, currentVersion } of apiEntries.sort((a, b) => a.api.slug.localeCompare(b.api.slug))) {
    if (api.orgId !== principal.orgId) continue;
    ids.apis.set(api.slug, api.id);
    const document = await catalog.getDocument(principal, api.id);
    const path = `openapi/${api.slug}.${document.sourceFormat === 'json' ? 'json' : 'yaml'}`;
    documents[path] = document.original;
    const requirement = await consents.apiRequirement(principal, api.id);
    const plans = (await access.listPlans(principal, api.id)).filter((plan) => !plan.archivedAt);
    const declared: ApiDeclaration = {
      slug: api.slug,
      openapi: path,
      upstream: api.upstreamUrl,
      visibility: api.visibility,
      ...(api.visibility === 'orgs' || api.allowedOrgIds.length > 0
        ? { allowedOrgs: api.allowedOrgIds.map((id) => slugById.get(id) ?? id).sort() }
        : {}),
      ...(api.category ? { category: api.category } : {}),
      tags: api.tags,
      validateRequests: api.validateRequests,
      ...(requirement
        ? { consent: { purpose: requirement.purpose, subjectRequired: requirement.subjectRequired } }
        : {}),
      plans: [],
    };
    if (currentVersion.deprecatedAt && currentVersion.sunsetAt) {
      const successor = currentVersion.successorApiId
        ? apiSlugById.get(currentVersion.successorApiId)
        : undefined;
      declared.deprecation = {
        sunsetAt: currentVersion.sunsetAt.toISOString(),
        deprecatedAt: currentVersion.deprecatedAt.toISOString(),
        ...(currentVersion.deprecationLink ? { link: currentVersion.deprecationLink } : {}),
        ...(successor ? { successor } : {}),
      };
    }
    for (const plan of plans) {
      const key = `${api.slug}/${plan.name}`;
      if (ids.plans.has(key)) continue;
      ids.plans.set(key, plan.id);
      declared.plans!.push({
        name: plan.name,
        ...(plan.description ? { description: plan.description } : {}),
        rateLimitPerSecond: plan.rateLimitPerSecond,
        burst: plan.burst,
        monthlyQuota: plan.monthlyQuota,
        requiresApproval: plan.requiresApproval,
        ...(plan.includedTags.length > 0 ? { includedTags: plan.includedTags } : {}),
        ...(plan.includedPaths.length > 0 ? { includedPaths: plan.includedPaths } : {}),
      });
    }
    apis.push(declared);
  }

  const declaredTemplates: TermsTemplateDeclaration[] = [];
  for (const template of await templates.list(principal)) {
    ids.termsTemplates.set(template.slug, template.id);
    declaredTemplates.push({
      slug: template.slug,
      ...(template.description !== null ? { description: template.description } : {}),
      terms: template.terms,
    });
  }
  const defaultTerms = await templates.defaultsOf(principal);

  const datasetEntries = await allPages((cursor) =>
    datasets.list(principal, { orgId: principal.orgId, cursor, limit: pageSize }),
  );
  const datasetsWithData = new Set<string>();
  const columns = new Map<string, DatasetColumn[]>();
  const declaredDatasets: DatasetDeclaration[] = [];
  for (const { dataset, currentVersion } of datasetEntries.sort((a, b) =>
    a.dataset.slug.localeCompare(b.dataset.slug),
  )) {
    if (dataset.orgId !== principal.orgId || dataset.origin) continue;
    ids.datasets.set(dataset.slug, dataset.id);
    if (currentVersion) {
      datasetsWithData.add(dataset.slug);
      columns.set(dataset.slug, currentVersion.columns);
    }
    const template = defaultTerms.get(dataset.id);
    declaredDatasets.push({
      slug: dataset.slug,
      title: dataset.title,
      ...(dataset.description !== null ? { description: dataset.description } : {}),
      licence: dataset.licence,
      keywords: dataset.keywords,
      themes: dataset.themes,
      ...(dataset.updateFrequency !== null ? { updateFrequency: dataset.updateFrequency } : {}),
      spatial: dataset.spatial,
      ...(dataset.temporalStart !== null ? { temporalStart: dataset.temporalStart } : {}),
      ...(dataset.temporalEnd !== null ? { temporalEnd: dataset.temporalEnd } : {}),
      consentRequired: dataset.consentRequired,
      ...(dataset.subjectColumn !== null ? { subjectColumn: dataset.subjectColumn } : {}),
      kThreshold: dataset.kThreshold,
      ...(currentVersion?.confirmedAt
        ? {
            classifications: Object.fromEntries(
              currentVersion.columns.map((column) => [
                column.name,
                column.classification ?? column.suggested,
              ]),
            ),
          }
        : {}),
      published: dataset.status === 'published',
      ...(template ? { defaultTerms: template } : {}),
    });
  }

  const declaredWebhooks: WebhookDeclaration[] = [];
  for (const webhook of (await webhooks.list(principal)).sort((a, b) => a.url.localeCompare(b.url))) {
    if (webhook.orgId !== principal.orgId || ids.webhooks.has(webhook.url)) continue;
    ids.webhooks.set(webhook.url, webhook.id);
    declaredWebhooks.push({
      url: webhook.url,
      events: [...webhook.events].sort(),
      // The platform never gives a secret back: the export names a variable for the file's owner to set.
      secretEnv: `WEBHOOK_SECRET_${declaredWebhooks.length + 1}`,
    });
  }

  const sources = await allPages((cursor) => harvest.list(principal, { cursor, limit: pageSize }));
  const declaredSources: HarvestSourceDeclaration[] = [];
  for (const source of sources.sort((a, b) => a.name.localeCompare(b.name))) {
    if (source.orgId !== principal.orgId || source.status !== 'active' || ids.harvestSources.has(source.name))
      continue;
    ids.harvestSources.set(source.name, source.id);
    const options = Object.fromEntries(Object.entries(source.options).filter(([, v]) => v !== undefined));
    declaredSources.push({
      name: source.name,
      kind: source.kind,
      url: source.url,
      intervalHours: source.intervalHours,
      ...(Object.keys(options).length > 0 ? { options } : {}),
    });
  }

  const declaredLabs: LabDeclaration[] = [];
  const seenLabs = new Set<string>();
  for (const lab of (await labs.list(principal)).sort((a, b) => a.name.localeCompare(b.name))) {
    if (lab.orgId !== principal.orgId || seenLabs.has(lab.name)) continue;
    seenLabs.add(lab.name);
    declaredLabs.push({
      name: lab.name,
      ...(lab.description !== null ? { description: lab.description } : {}),
      minGroupSize: lab.minGroupSize,
      epsilonBudget: lab.epsilonBudget,
      defaultEpsilon: lab.defaultEpsilon,
      maxRowsPerSubject: lab.maxRowsPerSubject,
      maxGroupsPerSubject: lab.maxGroupsPerSubject,
      minEpsilon: lab.minEpsilon,
      budgetScope: lab.budgetScope,
      outputReview: lab.outputReview,
    });
  }

  const declaration: Declaration = {
    format: declarationFormat,
    organisation,
    ...(apis.length > 0 ? { apis } : {}),
    ...(declaredTemplates.length > 0 ? { termsTemplates: declaredTemplates } : {}),
    ...(declaredDatasets.length > 0 ? { datasets: declaredDatasets } : {}),
    ...(declaredWebhooks.length > 0 ? { webhooks: declaredWebhooks } : {}),
    ...(declaredSources.length > 0 ? { harvestSources: declaredSources } : {}),
    ...(declaredLabs.length > 0 ? { labs: declaredLabs } : {}),
  };
  return { declaration, documents, datasetsWithData, columns, ids };
}
