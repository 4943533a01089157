import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from 'jose';
import type { Clock } from '../../clock.js';
import { putInPlace, writeDurably } from '../../infra/atomic-files.js';
import type { ChangeFeed } from '../../infra/change-feed.js';
import type { Failpoints } from '../../infra/failpoints.js';
import type { AuditLedger } from '../audit/service.js';
import type { AccessService, ApiDirectory } from './service.js';

/** Who issues and who may accept the gateway's access tokens (RFC 9068 `iss` and `aud`). */
export const tokenIssuer = 'urn:stp-platform';
export const gatewayAudience = 'stp-gateway';
/** Short-lived on purpose: revoking a client or a subscription must not wait for long tokens. */
export const accessTokenTtlSeconds = 600;
const alg = 'ES256';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface StoredKey {
  kid: string;
  createdAt: number;
  privateJwk: JWK;
}

/** RFC 6749 §5.2 error: the token endpoint answers in OAuth's format, not problem+json. */
export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

/**
 * The OAuth2 authorisation server for the client-credentials grant (RFC 6749 §4.4). Signing keys are
 * ES256 key pairs kept in DATA_DIR/keys/oauth; the newest signs, and every key young enough to have
 * signed a still-valid token stays in the JWKS, so rotation never breaks a token in flight.
 */
export class OAuthServer {
  private keys: StoredKey[] = [];
  /** Rebuilt when keys change or the oldest published key ages out; the gateway calls jwks() per token. */
  private published: { jwks: JSONWebKeySet; until: number } | undefined;
  private active: { kid: string; key: PrivateKey } | undefined;

  constructor(
    private readonly deps: {
      dataDir: string;
      clock: Clock;
      access: AccessService;
      apis: ApiDirectory;
      audit: AuditLedger;
      /** A suspended or rejected organisation's clients get no tokens. */
      isActiveOrganisation: (orgId: string) => Promise<boolean>;
      /** Crash tests only (src/infra/failpoints.ts): `oauth.signing-key.recorded`. */
      failpoints?: Failpoints;
      /** Told of a rotation, so every node sharing DATA_DIR reloads its keys and verifies the new one's tokens. */
      changes?: ChangeFeed;
    },
  ) {}

  private get dir() {
    return path.join(this.deps.dataDir, 'keys', 'oauth');
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.finishInterruptedRotations();
    await this.reload();
    if (this.keys.length === 0) await this.rotate();
  }

  /**
   * A rotation that a crash cut short left its key in a temp file (see `rotate`). The ledger decides
   * what it was: a key whose `oauth.signing-key.rotate` entry committed is put in place (the rotation
   * happened), any other is deleted (it did not, and no token was ever signed with it).
   */
  private async finishInterruptedRotations(): Promise<void> {
    const temps = (await readdir(this.dir)).filter((file) => file.endsWith('.jwk.json.tmp'));
    for (const temp of temps) {
      const file = path.join(this.dir, temp);
      let kid: string | undefined;
      try {
        kid = (JSON.parse(await readFile(file, 'utf8')) as StoredKey).kid;
      } catch {
        // Cut short while being written: certainly not recorded, since recording comes after.
      }
      const recorded =
        kid !== undefined &&
        (await this.deps.audit.list({ action: 'oauth.signing-key.rotate', objectId: kid, limit: 1 })).length >
          0;
      if (recorded) await putInPlace(file, file.slice(0, -'.tmp'.length));
      else await rm(file, { force: true });
    }
  }

  /** Re-reads the key directory: another node sharing DATA_DIR may have rotated. */
  async reload(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const files = (await readdir(this.dir)).filter((file) => file.endsWith('.jwk.json'));
    const loaded: StoredKey[] = [];
    for (const file of files)
      loaded.push(JSON.parse(await readFile(path.join(this.dir, file), 'utf8')) as StoredKey);
    this.keys = loaded.sort((a, b) => a.createdAt - b.createdAt);
    this.published = undefined;
    if (this.keys.length > 0) await this.activate();
  }

  private async activate() {
    const newest = this.keys[this.keys.length - 1]!;
    this.active = { kid: newest.kid, key: (await importJWK(newest.privateJwk, alg)) as PrivateKey };
  }

  /** Makes a new signing key; the old ones stay published until their tokens have expired. */
  async rotate(): Promise<{ kid: string }> {
    const pair = await generateKeyPair(alg, { extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    const kid = await calculateJwkThumbprint(privateJwk);
    const stored: StoredKey = {
      kid,
      createdAt: this.deps.clock.now().getTime(),
      privateJwk: { ...privateJwk, kid, alg },
    };
    const file = path.join(this.dir, `${stored.createdAt}-${kid}.jwk.json`);
    // The ledger entry is the commit point: the key is written aside, recorded, then put in place.
    // A crash before the entry commits leaves a temp file that the next start deletes; one after it,
    // a temp file that the next start puts in place (finishInterruptedRotations). Either way no key
    // ever signs a token without its entry in the ledger.
    // A failed record leaves the temp file too: the commit may have gone through unseen.
    await writeDurably(`${file}.tmp`, JSON.stringify(stored), 0o600);
    await this.deps.audit.record({
      actor: { type: 'system' },
      action: 'oauth.signing-key.rotate',
      object: { type: 'signing-key', id: kid },
    });
    await this.deps.failpoints?.reach('oauth.signing-key.recorded');
    await putInPlace(`${file}.tmp`, file);
    this.keys.push(stored);
    this.published = undefined;
    await this.activate();
    await this.deps.changes?.notify('gateway').catch(() => {});
    return { kid };
  }

  /** The public keys (RFC 7517 JWK Set) that verify tokens which may still be valid. */
  jwks(): JSONWebKeySet {
    const now = this.deps.clock.now().getTime();
    if (this.published && now < this.published.until) return this.published.jwks;
    const newest = this.keys[this.keys.length - 1];
    const published = this.keys.filter(
      (key, i) => key === newest || (this.keys[i + 1]?.createdAt ?? now) + accessTokenTtlSeconds * 1000 > now,
    );
    const jwks = {
      keys: published.map(({ privateJwk }) => {
        const { d: _private, ...publicJwk } = privateJwk;
        return { ...publicJwk, use: 'sig' };
      }),
    };
    // Valid until the next key would drop out of the set.
    const expiries = this.keys
      .map(
        (_key, i) => (this.keys[i + 1]?.createdAt ?? Number.POSITIVE_INFINITY) + accessTokenTtlSeconds * 1000,
      )
      .filter((until) => until > now);
    this.published = { jwks, until: Math.min(now + 60_000, ...expiries) };
    return jwks;
  }

  /**
   * The client-credentials grant: authenticates the client, narrows the requested scope to the APIs
   * its organisation has active subscriptions to, and signs a short-lived JWT access token.
   */
  async issue(input: { clientId?: string; clientSecret?: string; grantType?: string; scope?: string }) {
    if (input.grantType !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported');
    }
    if (!input.clientId || !input.clientSecret) {
      throw new OAuthError(
        'invalid_client',
        'client authentication is required (HTTP Basic or client_id/client_secret)',
        401,
      );
    }
    const found = await this.deps.access.authenticateClient(input.clientId, input.clientSecret);
    const client = found && (await this.deps.isActiveOrganisation(found.orgId)) ? found : null;
    if (!client) {
      await this.deps.audit.record({
        actor: { type: 'oauth-client', id: input.clientId },
        action: 'oauth.token',
        object: { type: 'credential', id: input.clientId },
        decision: 'deny',
        reason: 'unknown client or wrong secret',
      });
      throw new OAuthError('invalid_client', 'unknown client or wrong secret', 401);
    }
    const slugs = await this.deps.apis.slugs(await this.deps.access.activeApiIds(client.orgId));
    const available = slugs.map((slug) => `api:${slug}`);
    let granted = available;
    if (input.scope) {
      const requested = input.scope.split(' ').filter(Boolean);
      const unknown = requested.filter((scope) => !available.includes(scope));
      if (unknown.length > 0) {
        throw new OAuthError('invalid_scope', `not subscribed: ${unknown.join(' ')}`);
      }
      granted = requested;
    }
    const now = Math.floor(this.deps.clock.now().getTime() / 1000);
    const scope = granted.join(' ');
    const token = await new SignJWT({ org: client.orgId, scope, client_id: client.id })
      .setProtectedHeader({ alg, kid: this.active!.kid, typ: 'at+jwt' })
      .setIssuer(tokenIssuer)
      .setAudience(gatewayAudience)
      .setSubject(client.id)
      .setIssuedAt(now)
      .setExpirationTime(now + accessTokenTtlSeconds)
      .setJti(randomUUID())
      .sign(this.active!.key);
    return { access_token: token, token_type: 'Bearer', expires_in: accessTokenTtlSeconds, scope };
  }
}
