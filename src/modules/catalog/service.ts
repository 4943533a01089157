import type { Clock } from '../../clock.js';
import type { ChangeFeed } from '../../db/changes.js';
import type { Db } from '../../db/client.js';
import type { AuditLedger } from '../audit/service.js';

/** The API catalogue: OpenAPI import, versions, visibility and search. */
export class CatalogService {
  constructor(readonly deps: { db: Db; clock: Clock; audit: AuditLedger; changes: ChangeFeed }) {}
}
