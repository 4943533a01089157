/**
 * The platform's layers and the arrows allowed between them, read by test/architecture.test.ts and
 * described for people in docs/architecture.md.
 *
 * A file may import a file of its own layer or of a layer below it, never above. Inside the modules
 * layer a module may import only the modules it lists in `modules`, and the module graph has no
 * cycle. A module with an `index.ts` is entered from outside only through it.
 *
 * The allow-lists at the end name the arrows that break these rules today. Each says why it is
 * there; none may be added to make a new import pass: move the code to where it belongs instead.
 */

export interface Layer {
  name: string;
  /** Paths below the repository root: a folder ends in `/`, anything else is one file. */
  paths: string[];
}

/** Lowest first. */
export const layers: Layer[] = [
  {
    name: 'infra',
    // The foundation files at src/ (clock, ids, the error catalogue) are infrastructure too; they stay
    // where sixty files import them from.
    paths: [
      'src/infra/',
      'src/types/',
      'src/clock.ts',
      'src/ids.ts',
      'src/errors.ts',
      'src/config-error.ts',
      'src/version.ts',
      'src/config.ts',
      'src/startup-phases.ts',
      'src/server-record.ts',
    ],
  },
  { name: 'db', paths: ['src/db/'] },
  {
    // What a module's routes use to speak HTTP: schemas, problem answers, the caller's principal, URLs.
    name: 'http-kit',
    paths: [
      'src/http/schemas.ts',
      'src/http/problem.ts',
      'src/http/urls.ts',
      'src/http/auth.ts',
      'src/http/idempotency-schema.ts',
    ],
  },
  { name: 'modules', paths: ['src/modules/'] },
  {
    // Flows that cross modules, and the scheduler they run on.
    name: 'flows',
    paths: ['src/flows/', 'src/schedule.ts'],
  },
  { name: 'http', paths: ['src/http/'] },
  {
    // The composition root: config → database → services (services.ts) → HTTP app (platform.ts), the
    // ledger alone for the offline commands, and the gateway's worker processes.
    name: 'platform',
    paths: ['src/services.ts', 'src/platform.ts', 'src/ledger.ts', 'src/gateway-workers.ts'],
  },
  { name: 'entry', paths: ['src/main.ts', 'src/seed.ts', 'src/cli/', 'src/demo/'] },
];

/**
 * Which modules each module may import, lowest first. A module not named on the right of any arrow
 * is a leaf others do not depend on.
 */
export const modules: Record<string, string[]> = {
  identity: ['audit'],
  audit: ['identity'],
  catalog: ['audit', 'identity'],
  crossborder: ['audit', 'community', 'identity'],
  community: ['audit', 'catalog', 'identity'],
  access: ['audit', 'catalog', 'community', 'identity'],
  lab: ['access', 'audit', 'catalog', 'community', 'identity', 'query'],
  query: ['access', 'audit', 'catalog', 'identity', 'lab'],
  consent: ['access', 'audit', 'catalog', 'community', 'identity', 'query'],
  gateway: ['access', 'audit', 'catalog', 'consent', 'crossborder', 'identity'],
  harvest: ['audit', 'catalog', 'identity'],
  sharing: ['access', 'audit', 'catalog', 'identity', 'query'],
  regulator: ['access', 'audit', 'catalog', 'community', 'consent', 'crossborder', 'identity'],
  declarations: ['access', 'audit', 'catalog', 'community', 'consent', 'harvest', 'identity', 'lab'],
};

export interface AllowedArrow {
  from: string;
  to: string;
  why: string;
}

/** Imports from a layer above, by file (`from` imports `to`). */
export const upwardImports: AllowedArrow[] = [
  {
    from: 'src/db/schema.ts',
    to: 'src/modules/',
    why: 'drizzle-kit and the migrations read every table from one schema file; it only re-exports',
  },
  {
    from: 'src/db/schema.ts',
    to: 'src/http/idempotency-schema.ts',
    why: 'the idempotency table, re-exported for drizzle-kit like the modules’ tables',
  },
  {
    from: 'src/http/auth.ts',
    to: 'src/modules/identity/',
    why: 'the authentication hook asks the identity service who a token or session is (types only)',
  },
];

/**
 * Module arrows that close a cycle, by module (`from` imports `to`). The cycle check leaves them out;
 * each is a type or a table that belongs in the module it is imported from, or in a flow.
 */
export const cycleArrows: AllowedArrow[] = [
  { from: 'audit', to: 'identity', why: 'the ledger routes take the Principal type, which identity owns' },
  {
    from: 'query',
    to: 'lab',
    why: 'noisy aggregates use the lab’s differential-privacy mechanism and release rules',
  },
];

/**
 * Imports into another module that do not go through its `index.ts`, by importing folder
 * (`from`) and module (`to`). Only modules with an `index.ts` are checked.
 */
export const deepImports: AllowedArrow[] = [
  {
    from: 'src/cli/',
    to: 'declarations',
    why: 'stp plan/apply read a declaration file with its schema alone, so the CLI starts without the service graph',
  },
];
