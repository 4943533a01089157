import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway database on the server, so the run neither sees nor leaves any rows. */
export async function withPostgres<T>(adminUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const name = `stp_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
