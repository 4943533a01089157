import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionRollbackError } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

/**
 * What a request scope does at the edges of its transaction: `onOpen` runs first inside it (the
 * idempotency key is reserved there), `beforeCommit` last (the answer is stored there).
 */
export interface RequestScopeHooks {
  onOpen(tx: Tx): Promise<void>;
  beforeCommit(tx: Tx): Promise<void>;
}

type ScopeState = 'idle' | 'opening' | 'open' | 'closed';

/** One request's unit of work; see RequestTransactions. */
export class RequestScope {
  state: ScopeState = 'idle';
  tx: Tx | undefined;
  private opened: Promise<Tx> | undefined;
  private settled: Promise<void> | undefined;
  private finish: ((outcome: 'commit' | 'rollback') => void) | undefined;

  constructor(
    private readonly raw: Db,
    private readonly hooks: RequestScopeHooks,
  ) {}

  /** Opens the request's transaction on first use; later callers share it. */
  open(): Promise<Tx> {
    if (this.opened) return this.opened;
    this.state = 'opening';
    this.opened = new Promise<Tx>((resolve, reject) => {
      const decided = new Promise<'commit' | 'rollback'>((decide) => {
        this.finish = decide;
      });
      this.settled = this.raw
        .transaction(async (tx) => {
          await this.hooks.onOpen(tx);
          this.tx = tx;
          this.state = 'open';
          resolve(tx);
          if ((await decided) === 'rollback') tx.rollback();
          await this.hooks.beforeCommit(tx);
        })
        .catch((error: unknown) => {
          reject(error);
          throw error;
        });
      // Awaited by end(); a failure to open is the opener's to report.
      this.settled.catch(() => {});
    });
    return this.opened;
  }

  /**
   * Ends the scope: if a transaction was opened, commits it (after `beforeCommit`) or rolls it
   * back. Resolves to whether something committed. Queries made after this go straight to the
   * database.
   */
  async end(outcome: 'commit' | 'rollback'): Promise<boolean> {
    if (this.state === 'opening') await this.opened?.catch(() => {});
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.tx = undefined;
    if (!wasOpen) return false;
    this.finish?.(outcome);
    try {
      await this.settled;
    } catch (error) {
      if (outcome === 'rollback' && error instanceof TransactionRollbackError) return false;
      throw error;
    }
    return outcome === 'commit';
  }
}

/**
 * One transaction per request, for requests that need their change and their answer to commit
 * together (an idempotency key stored with its response, src/http/idempotency.ts).
 *
 * Services keep calling `db.transaction(…)` as they always do. Inside a request scope the first
 * such call opens the request's own transaction, and every transaction of the request (the first
 * included) runs as a savepoint inside it: a service's transaction that fails still rolls back on
 * its own, one that succeeds is released into the request's. From then on every query of the
 * request goes through that transaction too (on PGlite a query outside it would wait for it for
 * ever; on PostgreSQL it would not see the request's own writes). Reads before the first
 * transaction (authentication, the checks a service makes before it changes anything, a streamed
 * upload) go to the database directly, so no transaction is held open while a body arrives.
 * The HTTP layer ends the scope once the answer is known: commit with the answer stored, or roll
 * back on a 5xx. Code that runs after that (a reload a change kicked off) uses the database directly.
 *
 * Writes a request makes outside any transaction commit on their own, as they would without a
 * scope; every change that is recorded in the ledger is made in a transaction.
 */
export class RequestTransactions {
  private readonly storage = new AsyncLocalStorage<RequestScope>();
  /** The database as services see it: scoped to the request when there is one. */
  readonly db: Db;

  constructor(private readonly raw: Db) {
    const storage = this.storage;
    this.db = new Proxy(raw, {
      get(target, property) {
        const scope = storage.getStore();
        if (scope && scope.state !== 'closed') {
          if (property === 'transaction') {
            return async (callback: (tx: Tx) => Promise<unknown>) =>
              (await scope.open()).transaction(callback);
          }
          if (scope.state === 'open' && scope.tx) {
            const value = Reflect.get(scope.tx, property, scope.tx);
            return typeof value === 'function' ? value.bind(scope.tx) : value;
          }
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  scope(hooks: RequestScopeHooks): RequestScope {
    return new RequestScope(this.raw, hooks);
  }

  /** Runs `fn` (and everything it starts) inside the scope. */
  run<T>(scope: RequestScope, fn: () => T): T {
    return this.storage.run(scope, fn);
  }
}
