import type { Clock } from '../../clock.js';
import type { ChangeFeed } from '../../db/changes.js';
import type { Db } from '../../db/client.js';
import type { AuditLedger } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';

/** Plans, subscriptions and gateway credentials. */
export class AccessService {
  constructor(
    readonly deps: { db: Db; clock: Clock; audit: AuditLedger; changes: ChangeFeed; catalog: CatalogService },
  ) {}
}
