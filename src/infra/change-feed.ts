import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * Tells interested parts (the gateway's snapshot) that state they cache has changed. Services call
 * `notify` after their transaction commits. On the embedded database everything is one process, so
 * an in-process event is enough; on PostgreSQL the notice goes through LISTEN/NOTIFY, so every node
 * sharing the database hears it.
 */
export interface ChangeFeed {
  notify(topic: ChangeTopic): Promise<void>;
  subscribe(listener: (topic: ChangeTopic) => void): () => void;
  close(): Promise<void>;
}

export type ChangeTopic = 'gateway';

const channel = 'stp_changes';

export function createLocalChangeFeed(): ChangeFeed {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    notify: async (topic) => {
      events.emit('change', topic);
    },
    subscribe: (listener) => {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
    close: async () => {
      events.removeAllListeners();
    },
  };
}

export async function createPostgresChangeFeed(databaseUrl: string): Promise<ChangeFeed> {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let closed = false;
  let client: pg.Client | undefined;

  // A dedicated connection LISTENs; if it drops, it reconnects and tells listeners to reload,
  // since notices sent while it was away are lost.
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'stp-platform-listen' });
    next.on('notification', (message) => {
      if (message.channel === channel) events.emit('change', (message.payload || 'gateway') as ChangeTopic);
    });
    next.on('error', () => {
      if (closed) return;
      next.end().catch(() => {});
      reconnect(500);
    });
    await next.connect();
    await next.query(`listen ${channel}`);
    client = next;
  };
  // Keeps trying, backing off to 10 s; once back, listeners reload, as notices were missed meanwhile.
  const reconnect = (delayMs: number) => {
    setTimeout(() => {
      if (closed) return;
      connect()
        .then(() => events.emit('change', 'gateway'))
        .catch(() => reconnect(Math.min(delayMs * 2, 10_000)));
    }, delayMs).unref();
  };
  await connect();

  const notifier = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    application_name: 'stp-platform-notify',
  });
  notifier.on('error', () => {});
  return {
    notify: async (topic) => {
      await notifier.query('select pg_notify($1, $2)', [channel, topic]);
    },
    subscribe: (listener) => {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
    close: async () => {
      closed = true;
      events.removeAllListeners();
      await client?.end().catch(() => {});
      if (!notifier.ended) await notifier.end();
    },
  };
}
