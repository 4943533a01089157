import type { Executor } from '../db/client.js';
import type { EventPublisher } from '../modules/community/events.js';
import type { RefusalLogDeps } from '../modules/query/refusals.js';

type ProbingNotice = Parameters<NonNullable<RefusalLogDeps['notifyOwners']>>[1];

/**
 * Refused queries → the data owners. When one organisation's queries keep being refused on
 * datasets of others within a minute (the refusal log decides when), each owner of those datasets
 * hears of it once per window: a `query.refusals` event naming the probing organisation and only
 * that owner's datasets. The event is written in the refusal log's transaction; if it cannot be,
 * the notice is lost with it and the refusals themselves stay on the ledger.
 */
export function probingNotice(
  events: EventPublisher,
): (tx: Executor, notice: ProbingNotice) => Promise<void> {
  return async (tx, notice) => {
    await events.publish(tx, 'query.refusals', {
      to: { provider: notice.ownerOrgIds },
      objectId: notice.probingOrgId,
      title: 'Repeated refused queries on your data',
      body: `An organisation had ${notice.count} queries refused on your datasets within a minute.`,
      data: { probingOrgId: notice.probingOrgId, datasetIds: notice.datasetIds, count: notice.count },
    });
  };
}
