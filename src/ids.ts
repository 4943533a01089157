import { randomBytes } from 'node:crypto';

/**
 * Every object id carries a type prefix (`org_…`, `usr_…`), so a reader of a log line or a URL
 * knows what it points at, and an id of the wrong type is refused before any lookup.
 * The body is time-ordered (48-bit milliseconds, then 80 random bits, Crockford base32) so ids
 * sort by creation, which keeps B-tree inserts local and cursors stable.
 */
export const idPrefixes = {
  organisation: 'org',
  user: 'usr',
  membership: 'mem',
  session: 'ses',
  token: 'tok',
  invitation: 'inv',
  passwordReset: 'pwr',
  identityProvider: 'idp',
  oidcLogin: 'oid',
  auditEvent: 'evt',
  request: 'req',
  api: 'api',
  apiVersion: 'apv',
  plan: 'pln',
  subscription: 'sub',
  apiKey: 'key',
  oauthClient: 'cli',
  callBatch: 'cbt',
  dataset: 'ds',
  datasetVersion: 'dsv',
  accessRequest: 'arq',
  agreement: 'agr',
  query: 'qry',
  recipient: 'rcp',
  sharedFile: 'shf',
  lab: 'lab',
  labQuery: 'lqr',
  labJob: 'ljb',
  labModel: 'lmd',
  labTwin: 'ltw',
  consent: 'cns',
  consentImport: 'cni',
  deletionRequest: 'del',
  notification: 'ntf',
  webhook: 'whk',
  transfer: 'xfr',
  webhookDelivery: 'whd',
  regulatorReview: 'rvw',
  evidenceBundle: 'evb',
  harvestSource: 'hvs',
  harvestRun: 'hvr',
  declarationApply: 'dap',
  termsTemplate: 'ttp',
  // ---- data community ----
  wish: 'wsh',
  wishResponse: 'wsr',
} as const;

export type IdKind = keyof typeof idPrefixes;
export type IdPrefix = (typeof idPrefixes)[IdKind];

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = alphabet[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

// Randomness drawn 4 KiB at a time: one randomBytes call per id costs more than the rest of newId.
let pool = Buffer.alloc(0);
let poolOffset = 0;
function random10(): Buffer {
  if (poolOffset + 10 > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${idPrefixes[kind]}_${encodeTime(now)}${encodeRandom(random10())}`.toLowerCase();
}

const idPattern = /^[a-z]{2,3}_[0-9a-hjkmnp-tv-z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  return value.startsWith(`${idPrefixes[kind]}_`) && idPattern.test(value);
}

/** A pattern for request schemas, so a malformed id is a 400 that names the field. */
export function idPatternFor(kind: IdKind): string {
  return `^${idPrefixes[kind]}_[0-9a-hjkmnp-tv-z]{26}$`;
}
