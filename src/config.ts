import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { ConfigError } from './config-error.js';
import { parseFailpointNames } from './infra/failpoints.js';

/**
 * The platform's configuration: read once from the environment and command-line flags,
 * validated once, then passed explicitly to whatever needs it. Names follow DESIGN.md.
 */
export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  dataDir: Type.String({ minLength: 1 }),
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  redisUrl: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  adminEmail: Type.String({ format: 'email' }),
  adminPassword: Type.Optional(Type.String({ minLength: 12 })),
  demo: Type.Boolean(),
  demoPassword: Type.Optional(Type.String({ minLength: 12 })),
  logLevel: Type.Union([
    Type.Literal('fatal'),
    Type.Literal('error'),
    Type.Literal('warn'),
    Type.Literal('info'),
    Type.Literal('debug'),
    Type.Literal('trace'),
    Type.Literal('silent'),
  ]),
  /** Session lifetime in hours: the absolute limit, however active the session. */
  sessionTtlHours: Type.Integer({ minimum: 1, maximum: 24 * 30 }),
  /** A session unused for this many minutes ends before its lifetime (STP_SESSION_IDLE_MINUTES). */
  sessionIdleMinutes: Type.Integer({ minimum: 5, maximum: 24 * 60 * 30 }),
  /**
   * The address browsers use (`https://stp.example`), when it differs from what the platform sees
   * (a proxy that rewrites Host). Cross-origin checks compare a browser's `Origin` with it (STP_PUBLIC_URL).
   */
  publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^/?#@]+(/[^?#]*)?$' })),
  /**
   * The SMTP relay account mail (password-reset links) goes through, as a URL
   * (`smtp://user:pass@host:587`, `smtps://…:465`) (STP_SMTP_URL). None: the messages are written
   * to the server log instead, which is how the demo shows them.
   */
  smtpUrl: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  /** The From address of account mail (STP_MAIL_FROM). */
  mailFrom: Type.String({ minLength: 3, maxLength: 320 }),
  /** Whether the session cookie is marked Secure (on behind TLS; off for plain-HTTP localhost). */
  secureCookies: Type.Boolean(),
  /** Whether import-by-URL may fetch from loopback and private networks (off: SSRF protection). */
  allowPrivateFetch: Type.Boolean(),
  /** Largest dataset upload accepted, in bytes (STP_MAX_UPLOAD_BYTES). */
  maxUploadBytes: Type.Integer({ minimum: 1024 }),
  /** Governed queries are interrupted after this many milliseconds (STP_QUERY_TIMEOUT_MS). */
  queryTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  /** A lab training job is stopped after this many milliseconds (STP_LAB_JOB_TIMEOUT_MS). */
  labJobTimeoutMs: Type.Integer({ minimum: 1000, maximum: 86_400_000 }),
  /** DuckDB's memory limit for governed queries, e.g. `2GB` (STP_QUERY_MEMORY). */
  queryMemoryLimit: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$' }),
  /** A JSON array of YYYY-MM-DD public holidays for filing deadlines (STP_HOLIDAYS_FILE); default Hong Kong's. */
  holidaysFile: Type.Optional(Type.String({ minLength: 1 })),
  /** DuckDB worker threads for governed queries (STP_QUERY_THREADS). */
  queryThreads: Type.Integer({ minimum: 1, maximum: 256 }),
  /** Query worker processes running governed and lab queries at once (STP_QUERY_WORKERS). */
  queryWorkers: Type.Integer({ minimum: 1, maximum: 256 }),
  /**
   * Processes of `stp gateway` sharing its port, one per core by default with DATABASE_URL (the
   * embedded database belongs to one process, so without it one) (STP_GATEWAY_WORKERS, --workers).
   */
  gatewayWorkers: Type.Integer({ minimum: 1, maximum: 256 }),
  /**
   * Processes of `stp serve` sharing its port, each a whole node (control plane, portal and
   * gateway path); the first also runs the jobs that run once per cluster. Default 1; above 1 needs
   * DATABASE_URL, since the embedded database belongs to one process (STP_SERVE_WORKERS, `serve --workers`).
   */
  serveWorkers: Type.Integer({ minimum: 1, maximum: 256 }),
  /** Resident memory one query worker may use before it is killed, in MiB (STP_QUERY_MEMORY_MB). */
  queryMemoryMb: Type.Integer({ minimum: 128, maximum: 1_048_576 }),
  /** Query workers one organisation may hold at once (STP_QUERY_WORKERS_PER_ORG); default half of them. */
  queryWorkersPerOrg: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  /** Temporary disk one query may fill with spills, in MiB (STP_QUERY_TEMP_MB). */
  queryTempMb: Type.Integer({ minimum: 16, maximum: 16_777_216 }),
  /**
   * What the gateway does when Redis (REDIS_URL) does not answer (STP_RATE_LIMIT_FALLBACK):
   * `fail-closed` refuses calls with 503 until it is back; `local` enforces each limit in this
   * process alone meanwhile. See docs/reliability.md.
   */
  rateLimitFallback: Type.Union([Type.Literal('fail-closed'), Type.Literal('local')]),
  /** Time an upstream has to start answering a gateway call (STP_UPSTREAM_TIMEOUT_MS). */
  upstreamTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
  /** Calls in flight to one upstream at once, per gateway process; more answer 503 (STP_UPSTREAM_CONCURRENCY). */
  upstreamConcurrency: Type.Integer({ minimum: 1, maximum: 100_000 }),
  /** Consecutive failures that open an upstream's circuit (STP_BREAKER_FAILURES). */
  breakerFailures: Type.Integer({ minimum: 1, maximum: 1000 }),
  /** How long an open circuit refuses calls before one probe may pass (STP_BREAKER_COOLDOWN_MS). */
  breakerCooldownMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  /** How often leftovers of interrupted uploads and expired idempotency keys are swept (STP_SWEEP_INTERVAL_MS). */
  sweepIntervalMs: Type.Integer({ minimum: 50, maximum: 86_400_000 }),
  /** Crash tests only: failpoints to arm (STP_FAILPOINTS, src/infra/failpoints.ts). */
  failpoints: Type.Array(Type.String({ minLength: 1 })),
  /** Days a grantee has to confirm deletion after a consent is revoked, before the regulator is told (STP_DELETION_DEADLINE_DAYS). */
  deletionDeadlineDays: Type.Integer({ minimum: 1, maximum: 366 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Flags of `stp serve` and friends; each mirrors one environment variable. */
export interface ConfigFlags {
  port?: string | number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  demo?: boolean;
  logLevel?: string;
  /** `stp gateway --workers`. */
  workers?: string | number;
  /** `stp serve --workers`. */
  serveWorkers?: string | number;
}

export { ConfigError };

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1/0, true/false, yes/no or on/off, got "${raw}"`);
}

function parsePort(raw: string | number | undefined): number {
  if (raw === undefined || raw === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port)) throw new ConfigError(`PORT must be an integer, got "${raw}"`);
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}): Config {
  const candidate: Config = {
    port: parsePort(flags.port ?? env.PORT),
    host: flags.host ?? nonEmpty(env.HOST) ?? '127.0.0.1',
    dataDir: path.resolve(flags.dataDir ?? nonEmpty(env.DATA_DIR) ?? './data'),
    databaseUrl: flags.databaseUrl ?? nonEmpty(env.DATABASE_URL),
    redisUrl: flags.redisUrl ?? nonEmpty(env.REDIS_URL),
    adminEmail: nonEmpty(env.STP_ADMIN_EMAIL) ?? 'admin@stp.local',
    adminPassword: nonEmpty(env.STP_ADMIN_PASSWORD),
    demo: flags.demo ?? parseBoolean('STP_DEMO', env.STP_DEMO, false),
    demoPassword: nonEmpty(env.STP_DEMO_PASSWORD),
    logLevel: (flags.logLevel ?? nonEmpty(env.LOG_LEVEL) ?? 'info') as Config['logLevel'],
    sessionTtlHours: Number(nonEmpty(env.STP_SESSION_TTL_HOURS) ?? 12),
    sessionIdleMinutes: Number(nonEmpty(env.STP_SESSION_IDLE_MINUTES) ?? 120),
    publicUrl: nonEmpty(env.STP_PUBLIC_URL),
    smtpUrl: nonEmpty(env.STP_SMTP_URL),
    mailFrom: nonEmpty(env.STP_MAIL_FROM) ?? 'STP Platform <no-reply@stp.local>',
    secureCookies: parseBoolean('STP_SECURE_COOKIES', env.STP_SECURE_COOKIES, false),
    allowPrivateFetch: parseBoolean('STP_ALLOW_PRIVATE_FETCH', env.STP_ALLOW_PRIVATE_FETCH, false),
    maxUploadBytes: Number(nonEmpty(env.STP_MAX_UPLOAD_BYTES) ?? 10 * 1024 ** 3),
    queryTimeoutMs: Number(nonEmpty(env.STP_QUERY_TIMEOUT_MS) ?? 30_000),
    labJobTimeoutMs: Number(nonEmpty(env.STP_LAB_JOB_TIMEOUT_MS) ?? 600_000),
    queryMemoryLimit: nonEmpty(env.STP_QUERY_MEMORY) ?? '2GB',
    holidaysFile: nonEmpty(env.STP_HOLIDAYS_FILE),
    queryThreads: Number(
      nonEmpty(env.STP_QUERY_THREADS) ?? Math.max(1, Math.min(4, os.availableParallelism())),
    ),
    queryWorkers: Number(
      nonEmpty(env.STP_QUERY_WORKERS) ?? Math.max(2, Math.min(4, os.availableParallelism())),
    ),
    queryMemoryMb: Number(nonEmpty(env.STP_QUERY_MEMORY_MB) ?? 2048),
    queryWorkersPerOrg: nonEmpty(env.STP_QUERY_WORKERS_PER_ORG)
      ? Number(env.STP_QUERY_WORKERS_PER_ORG)
      : undefined,
    queryTempMb: Number(nonEmpty(env.STP_QUERY_TEMP_MB) ?? 4096),
    gatewayWorkers: Number(
      flags.workers ??
        nonEmpty(env.STP_GATEWAY_WORKERS) ??
        ((flags.databaseUrl ?? nonEmpty(env.DATABASE_URL)) ? os.availableParallelism() : 1),
    ),
    serveWorkers: Number(flags.serveWorkers ?? nonEmpty(env.STP_SERVE_WORKERS) ?? 1),
    rateLimitFallback: (nonEmpty(env.STP_RATE_LIMIT_FALLBACK) ??
      'fail-closed') as Config['rateLimitFallback'],
    upstreamTimeoutMs: Number(nonEmpty(env.STP_UPSTREAM_TIMEOUT_MS) ?? 30_000),
    upstreamConcurrency: Number(nonEmpty(env.STP_UPSTREAM_CONCURRENCY) ?? 256),
    breakerFailures: Number(nonEmpty(env.STP_BREAKER_FAILURES) ?? 5),
    breakerCooldownMs: Number(nonEmpty(env.STP_BREAKER_COOLDOWN_MS) ?? 10_000),
    sweepIntervalMs: Number(nonEmpty(env.STP_SWEEP_INTERVAL_MS) ?? 300_000),
    failpoints: parseFailpointNames(env.STP_FAILPOINTS),
    deletionDeadlineDays: Number(nonEmpty(env.STP_DELETION_DEADLINE_DAYS) ?? 30),
  };
  for (const key of Object.keys(candidate) as (keyof Config)[]) {
    if (candidate[key] === undefined) delete candidate[key];
  }
  if (!Value.Check(ConfigSchema, candidate)) {
    // One sentence per refused setting, naming the variable (or flag) a person sets and the rule.
    const properties = ConfigSchema.properties as Record<keyof Config, TSchema>;
    const refused = (Object.keys(properties) as (keyof Config)[]).filter(
      (key) => candidate[key] !== undefined && !Value.Check(properties[key], candidate[key]),
    );
    throw new ConfigError(
      refused.map((key) => refusal(key, env, flags)).join('; ') || 'invalid configuration',
    );
  }
  if (candidate.gatewayWorkers > 1 && !candidate.databaseUrl) {
    throw new ConfigError(
      `${describe('gatewayWorkers', flags)} above 1 needs DATABASE_URL: the embedded database belongs to one process`,
    );
  }
  if (candidate.serveWorkers > 1 && !candidate.databaseUrl) {
    throw new ConfigError(
      `${describe('serveWorkers', flags)} above 1 needs DATABASE_URL: the embedded database belongs to one process`,
    );
  }
  return candidate;
}

/** The environment variable behind each setting, and the flag where there is one. */
const sources: Record<
  keyof Config,
  {
    variable: string;
    flag?: keyof ConfigFlags & string;
    /** How the flag is spelt on the command line, when not the kebab case of `flag`. */
    option?: string;
    secret?: true;
  }
> = {
  port: { variable: 'PORT', flag: 'port' },
  host: { variable: 'HOST', flag: 'host' },
  dataDir: { variable: 'DATA_DIR', flag: 'dataDir' },
  databaseUrl: { variable: 'DATABASE_URL', flag: 'databaseUrl', secret: true },
  redisUrl: { variable: 'REDIS_URL', flag: 'redisUrl', secret: true },
  adminEmail: { variable: 'STP_ADMIN_EMAIL' },
  adminPassword: { variable: 'STP_ADMIN_PASSWORD', secret: true },
  demo: { variable: 'STP_DEMO' },
  demoPassword: { variable: 'STP_DEMO_PASSWORD', secret: true },
  logLevel: { variable: 'LOG_LEVEL', flag: 'logLevel' },
  sessionTtlHours: { variable: 'STP_SESSION_TTL_HOURS' },
  sessionIdleMinutes: { variable: 'STP_SESSION_IDLE_MINUTES' },
  publicUrl: { variable: 'STP_PUBLIC_URL' },
  smtpUrl: { variable: 'STP_SMTP_URL', secret: true },
  mailFrom: { variable: 'STP_MAIL_FROM' },
  secureCookies: { variable: 'STP_SECURE_COOKIES' },
  allowPrivateFetch: { variable: 'STP_ALLOW_PRIVATE_FETCH' },
  maxUploadBytes: { variable: 'STP_MAX_UPLOAD_BYTES' },
  queryTimeoutMs: { variable: 'STP_QUERY_TIMEOUT_MS' },
  labJobTimeoutMs: { variable: 'STP_LAB_JOB_TIMEOUT_MS' },
  queryMemoryLimit: { variable: 'STP_QUERY_MEMORY' },
  holidaysFile: { variable: 'STP_HOLIDAYS_FILE' },
  queryThreads: { variable: 'STP_QUERY_THREADS' },
  queryWorkers: { variable: 'STP_QUERY_WORKERS' },
  queryMemoryMb: { variable: 'STP_QUERY_MEMORY_MB' },
  queryWorkersPerOrg: { variable: 'STP_QUERY_WORKERS_PER_ORG' },
  queryTempMb: { variable: 'STP_QUERY_TEMP_MB' },
  gatewayWorkers: { variable: 'STP_GATEWAY_WORKERS', flag: 'workers' },
  serveWorkers: { variable: 'STP_SERVE_WORKERS', flag: 'serveWorkers', option: '--workers' },
  sweepIntervalMs: { variable: 'STP_SWEEP_INTERVAL_MS' },
  rateLimitFallback: { variable: 'STP_RATE_LIMIT_FALLBACK' },
  upstreamTimeoutMs: { variable: 'STP_UPSTREAM_TIMEOUT_MS' },
  upstreamConcurrency: { variable: 'STP_UPSTREAM_CONCURRENCY' },
  breakerFailures: { variable: 'STP_BREAKER_FAILURES' },
  breakerCooldownMs: { variable: 'STP_BREAKER_COOLDOWN_MS' },
  failpoints: { variable: 'STP_FAILPOINTS' },
  deletionDeadlineDays: { variable: 'STP_DELETION_DEADLINE_DAYS' },
};

interface RuleSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: { const?: unknown }[];
}

/** The rule a setting's schema states, in words. */
function ruleOf(schema: RuleSchema): string {
  if (schema.anyOf) return `must be one of ${schema.anyOf.map((option) => String(option.const)).join(', ')}`;
  if (schema.type === 'integer') {
    if (schema.minimum !== undefined && schema.maximum !== undefined) {
      return `must be a whole number from ${schema.minimum} to ${schema.maximum}`;
    }
    return schema.minimum !== undefined
      ? `must be a whole number of at least ${schema.minimum}`
      : 'must be a whole number';
  }
  if (schema.format === 'email') return 'must be an e-mail address';
  if (schema.pattern) return `must match ${schema.pattern}`;
  if (schema.minLength) return `must be at least ${schema.minLength} characters long`;
  if (schema.type === 'array') return 'must be a comma-separated list';
  return `must be a ${schema.type}`;
}

/** The name a person set a setting by: its flag when the flag was given, else its variable. */
function describe(key: keyof Config, flags: ConfigFlags): string {
  const source = sources[key];
  const fromFlag = source.flag !== undefined && flags[source.flag] !== undefined;
  if (!fromFlag) return source.variable;
  return source.option ?? `--${source.flag!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function refusal(key: keyof Config, env: NodeJS.ProcessEnv, flags: ConfigFlags): string {
  const source = sources[key];
  const fromFlag = source.flag !== undefined && flags[source.flag] !== undefined;
  const name = describe(key, flags);
  const raw = fromFlag ? flags[source.flag!] : env[source.variable];
  const got = source.secret || raw === undefined ? '' : `, got "${String(raw)}"`;
  return `${name} ${ruleOf(ConfigSchema.properties[key] as RuleSchema)}${got}`;
}

/** A random password that a person can copy: 18 bytes of entropy, base64url. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
