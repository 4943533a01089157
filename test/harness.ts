import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import type { Clock } from '../src/clock.js';
import { type Config, loadConfig } from '../src/config.js';
import type { Principal } from '../src/modules/identity/principal.js';
import type { Location, OrgKind, OrgRole } from '../src/modules/identity/schema.js';
import { createPlatform, type Platform } from '../src/platform.js';

/** Every suite runs on the embedded database; with DATABASE_URL set, also on the real server. */
export type DbTarget = 'pglite' | 'postgres';
export const dbTargets: DbTarget[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export const adminEmail = 'admin@stp.test';
export const password = 'correct horse battery staple';

export interface TestPlatform extends Platform {
  dataDir: string;
  databaseUrl?: string;
  operator: Principal;
  /** Closes the platform and removes what the test created (temp dir, PostgreSQL database). */
  dispose(): Promise<void>;
  /** Reopens the same storage in a new platform, as a restart would. */
  restart(): Promise<TestPlatform>;
}

function adminUrl(): string {
  return process.env.DATABASE_URL!;
}

/**
 * A fresh PostgreSQL database per test platform, so suites never see each other's rows. It is a copy
 * of the run's migrated template database (test/global-setup.ts), so a platform starts with its
 * migrations applied instead of applying all of them again; `{ empty: true }` gives a database with
 * nothing in it, for what must start from nothing (the README tour, as a reader's first start).
 */
export async function createDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const name = `stp_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const template = options.empty || !process.env.VITEST ? undefined : inject('postgresTemplate');
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

export interface TestPlatformOptions {
  clock?: Clock;
  /** Keep PGlite on disk (for restart tests); default in memory. */
  onDisk?: boolean;
  /** Extra configuration variables (e.g. `STP_SECURE_COOKIES`), applied over the test defaults. */
  env?: Record<string, string>;
  /** Governed SQL runs without the guard (defence-in-depth tests of the query workers alone). */
  unguardedQueries?: boolean;
}

let template: Promise<Blob | undefined> | undefined;

/**
 * The migrated PGlite data directory test/global-setup.ts prepared, read once per test file; none
 * outside Vitest (the benchmarks use this harness too), where platforms initialise their own.
 */
export function pgliteTemplate(): Promise<Blob | undefined> {
  template ??= (async () => {
    if (!process.env.VITEST) return undefined;
    return new Blob([await readFile(inject('pgliteTemplate'))]);
  })();
  return template;
}

async function open(
  target: DbTarget,
  dataDir: string,
  databaseUrl: string | undefined,
  options: TestPlatformOptions,
): Promise<TestPlatform> {
  const config: Config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      STP_ADMIN_EMAIL: adminEmail,
      STP_ADMIN_PASSWORD: password,
      // Tests serve documents from 127.0.0.1; the refusal itself is tested with the default off.
      STP_ALLOW_PRIVATE_FETCH: '1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...options.env,
    },
    {},
  );
  const inMemory = target === 'pglite' && !options.onDisk;
  const platform = await createPlatform(config, {
    clock: options.clock,
    pgliteDir: inMemory ? 'memory://' : undefined,
    pgliteLoadDataDir: inMemory ? await pgliteTemplate() : undefined,
    unguardedQueriesForTests: options.unguardedQueries,
  });
  await platform.app.ready();
  await platform.identity.bootstrapOperator({ email: adminEmail, password });
  const admin = (await platform.identity.findUserByEmail(adminEmail))!;
  const operatorOrg = (await platform.identity.findOrganisationBySlug('stp-operations'))!;
  const operator = (await platform.identity.principalFor('session', admin.id, operatorOrg.id, {}))!;
  const testPlatform: TestPlatform = {
    ...platform,
    dataDir,
    databaseUrl,
    operator,
    dispose: async () => {
      await platform.close();
      if (databaseUrl) await dropDatabase(databaseUrl);
      await rm(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      await platform.close();
      return open(target, dataDir, databaseUrl, options);
    },
  };
  return testPlatform;
}

export async function createTestPlatform(
  target: DbTarget,
  options: TestPlatformOptions = {},
): Promise<TestPlatform> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'stp-test-'));
  const databaseUrl = target === 'postgres' ? await createDatabase() : undefined;
  return open(target, dataDir, databaseUrl, options);
}

export interface Tenant {
  orgId: string;
  userId: string;
  email: string;
  cookie: string;
  headers: { cookie: string };
}

let counter = 0;

/** Seeds an active organisation with one user of the given role and signs that user in. */
export async function createTenant(
  platform: TestPlatform,
  options: { kinds?: OrgKind[]; role?: OrgRole; name?: string; location?: Location | null } = {},
): Promise<Tenant> {
  counter += 1;
  const name = options.name ?? `Tenant ${process.pid} ${counter} ${Math.random().toString(36).slice(2, 6)}`;
  const org = await platform.identity.createOrganisation(platform.operator, {
    name,
    kinds: options.kinds ?? ['consumer'],
  });
  // Most organisations of the park are in Hong Kong; agreements allow Hong Kong by default.
  const location = options.location === undefined ? 'hong-kong' : options.location;
  if (location) await platform.identity.verifyLocation(platform.operator, org.id, location);
  const email = `user${counter}.${Math.random().toString(36).slice(2, 8)}@tenant.test`;
  const user = await platform.identity.provisionMember(platform.operator, org.id, {
    email,
    name: `User ${counter}`,
    password,
    role: options.role ?? 'owner',
  });
  const cookie = await signIn(platform, email);
  return { orgId: org.id, userId: user.id, email, cookie, headers: { cookie } };
}

export async function signIn(
  platform: Platform,
  email: string,
  pass = password,
  orgId?: string,
): Promise<string> {
  const response = await platform.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password: pass, ...(orgId ? { orgId } : {}) },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  return cookieOf(response);
}

export function cookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  return (first ?? '').split(';')[0]!;
}

export async function operatorCookie(platform: TestPlatform): Promise<string> {
  return signIn(platform, adminEmail);
}

/** Asserts the RFC 9457 shape and returns the parsed problem. */
export function problemOf(response: LightMyRequestResponse) {
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`expected application/problem+json, got ${type}: ${response.body}`);
  }
  return response.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    errors?: unknown[];
  };
}
