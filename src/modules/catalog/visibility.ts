import { eq, or, type SQL, sql } from 'drizzle-orm';
import { isOperator, type Principal } from '../identity/principal.js';
import { apis, datasets } from './schema.js';

type Api = typeof apis.$inferSelect;
type Dataset = typeof datasets.$inferSelect;

/**
 * Who sees which APIs and datasets: the one rule behind the catalogue, CKAN, DCAT, search, the
 * directory and wishes. Each rule comes twice, as a SQL condition for lists and as a predicate for
 * one row already read, and the two are written side by side so they cannot drift apart.
 *
 * - An API is seen by every signed-in organisation when public, by its owner always, by the
 *   organisations it names when `orgs`; operators see all. Nothing else is even found (404).
 * - A dataset is seen by every signed-in organisation once published, by its owner as a draft.
 * - *Listed* is what every organisation may see of another's catalogue, whoever asks: public APIs
 *   that have a document, published datasets. The directory's counts and profiles and a wish's
 *   answer show nothing more.
 */

/** The APIs `principal` may see, as a condition (none for an operator: all). */
export function apisVisibleTo(principal: Principal): SQL | undefined {
  if (isOperator(principal)) return undefined;
  return sql`(${apis.visibility} = 'public' or ${apis.orgId} = ${principal.orgId} or (${apis.visibility} = 'orgs' and ${principal.orgId} = any(${apis.allowedOrgIds})))`;
}

export function canSeeApi(principal: Principal, api: Api): boolean {
  return (
    isOperator(principal) ||
    api.visibility === 'public' ||
    api.orgId === principal.orgId ||
    (api.visibility === 'orgs' && api.allowedOrgIds.includes(principal.orgId))
  );
}

/** The datasets `principal` may see, as a condition. */
export function datasetsVisibleTo(principal: Principal): SQL {
  return or(eq(datasets.orgId, principal.orgId), listedDatasets)!;
}

export function canSeeDataset(principal: Principal, dataset: Dataset): boolean {
  return dataset.orgId === principal.orgId || isListedDataset(dataset);
}

/** APIs every organisation may see of another's catalogue. */
export const listedApis: SQL = sql`(${apis.visibility} = 'public' and ${apis.currentVersionId} is not null)`;

export function isListedApi(api: Pick<Api, 'visibility' | 'currentVersionId'>): boolean {
  return api.visibility === 'public' && api.currentVersionId !== null;
}

/** Datasets every organisation may see of another's catalogue. */
export const listedDatasets: SQL = sql`${datasets.status} = 'published'`;

export function isListedDataset(dataset: Pick<Dataset, 'status'>): boolean {
  return dataset.status === 'published';
}
