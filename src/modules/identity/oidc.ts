import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq, isNull } from 'drizzle-orm';
import * as oidc from 'openid-client';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { AppError, notFound, validationFailed } from '../../errors.js';
import { newId } from '../../ids.js';
import { createFileOnce } from '../../infra/atomic-files.js';
import { refusePrivateHost } from '../../infra/outbound.js';
import type { AuditLedger } from '../audit/service.js';
import { type Principal, requireKind, requireRole } from './principal.js';
import {
  type IdentityProviderMapping,
  identityProviders,
  type OrgRole,
  oidcLoginAttempts,
} from './schema.js';
import { hashSecret, safeEqual } from './secrets.js';
import type { IdentityService } from './service.js';

/**
 * Single sign-on with OpenID Connect: the authorization code flow with PKCE (RFC 7636, S256),
 * `state` and `nonce` (OIDC Core §3.1). openid-client does the protocol work (discovery, the code
 * exchange, ID token validation against the provider's JWKS); this file decides what a sign-in
 * may do: which provider, which browser, which organisation and role, and what the ledger says.
 */

export type IdentityProvider = typeof identityProviders.$inferSelect;

export interface IdentityProviderInput {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
  mapping: Partial<IdentityProviderMapping>;
}

/** How long a browser has between leaving for the provider and coming back. */
const loginTtlMs = 10 * 60_000;
const fetchTimeoutSeconds = 10;
const defaultScopes = ['openid', 'email', 'profile'];

// ---- mapping ---------------------------------------------------------------------------------

export interface MappedMembership {
  orgId: string;
  role: OrgRole;
  /** What matched, for the ledger: `domain:example.com` or `claim:groups=analysts`. */
  via: string;
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Where a person lands. A claim rule is more specific than a domain, so it wins; within each, the
 * first rule the operator listed wins. A claim may be a string or an array of strings (`groups`).
 */
export function mapToOrganisation(
  mapping: IdentityProviderMapping,
  claims: { email: string } & Record<string, unknown>,
): MappedMembership | null {
  if (mapping.claim) {
    const raw = claims[mapping.claim.name];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    for (const rule of mapping.claim.values) {
      if (values.includes(rule.value)) {
        return { orgId: rule.orgId, role: rule.role, via: `claim:${mapping.claim.name}=${rule.value}` };
      }
    }
  }
  const domain = domainOf(claims.email);
  const rule = mapping.domains.find((d) => d.domain === domain);
  return rule ? { orgId: rule.orgId, role: rule.role, via: `domain:${domain}` } : null;
}

/**
 * Only a same-origin path may follow a sign-in: `//evil.test`, `/\evil.test` and absolute URLs
 * are open redirects (a phishing page would look as if the platform sent the user there).
 */
export function safeReturnTo(returnTo: string | undefined): string {
  if (!returnTo?.startsWith('/') || returnTo.startsWith('//')) return '/';
  // Browsers read a backslash as a slash, and strip tabs and newlines before parsing (`/\t/evil`).
  const hasControl = [...returnTo].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (hasControl || returnTo.includes('\\')) return '/';
  const base = 'http://platform.invalid';
  const url = new URL(returnTo, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}

// ---- client secrets at rest ------------------------------------------------------------------

const secretKeyFile = 'identity-provider-secrets.key';

/** The key that seals client secrets lives in DATA_DIR/keys beside the ledger key, owner-readable only. */
export async function loadOrCreateSecretKey(dataDir: string): Promise<Buffer> {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, secretKeyFile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // When several nodes start at once on one DATA_DIR, the first key made wins and all read it.
  await createFileOnce(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
}

/**
 * AES-256-GCM, bound to the provider id (additional data), so a database dump alone does not
 * reveal client secrets and a sealed secret copied onto another provider's row does not open.
 */
function sealSecret(key: Buffer, providerId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(providerId));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

function openSecret(key: Buffer, providerId: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unknown sealed-secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    .setAAD(Buffer.from(providerId))
    .setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

// ---- the service -----------------------------------------------------------------------------

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export class SingleSignOn {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      audit: AuditLedger;
      identity: IdentityService;
      /** Seals client secrets (see loadOrCreateSecretKey). */
      secretKey: Buffer;
      /** Development and tests only: lets issuers live on loopback/private networks and plain HTTP. */
      allowPrivateFetch: boolean;
    },
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  /**
   * Every request to a provider (discovery, JWKS, token) goes through here: the discovery document
   * names the other endpoints, so each one is checked against private networks, not just the issuer.
   */
  private readonly fetchChecked: oidc.CustomFetch = async (url, options) => {
    if (!this.deps.allowPrivateFetch) await refusePrivateHost(new URL(url).hostname);
    // A redirect could lead to an address the check above never saw.
    return fetch(url, { ...options, redirect: 'manual' } as RequestInit);
  };

  /** Discovery (`/.well-known/openid-configuration`) with our fetch, clock and checks. */
  private async configurationFor(provider: IdentityProvider): Promise<oidc.Configuration> {
    const issuer = new URL(provider.issuer);
    const secret = openSecret(this.deps.secretKey, provider.id, provider.clientSecretSealed);
    // The platform's clock (tests move it) is the one ID token expiry is judged by.
    const skewSeconds = Math.round((this.deps.clock.now().getTime() - Date.now()) / 1000);
    const execute = [oidc.enableNonRepudiationChecks];
    if (issuer.protocol === 'http:') execute.push(oidc.allowInsecureRequests);
    try {
      return await oidc.discovery(
        issuer,
        provider.clientId,
        { client_secret: secret, [oidc.clockSkew]: skewSeconds },
        // OIDC Core §9: client_secret_basic is the default for clients registered without a choice.
        oidc.ClientSecretBasic(secret),
        { execute, timeout: fetchTimeoutSeconds, [oidc.customFetch]: this.fetchChecked },
      );
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        'upstream-unavailable',
        `the identity provider at ${provider.issuer} did not answer discovery: ${(error as Error).message}`,
      );
    }
  }

  // ---- operators configure providers ----

  private async checkIssuer(issuer: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw validationFailed('body/issuer', 'must be an absolute URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.deps.allowPrivateFetch)) {
      throw validationFailed('body/issuer', 'must be an https:// URL');
    }
    if (url.search || url.hash) throw validationFailed('body/issuer', 'must have no query or fragment');
    if (!this.deps.allowPrivateFetch) {
      try {
        await refusePrivateHost(url.hostname);
      } catch (error) {
        if (error instanceof AppError)
          throw validationFailed('body/issuer', error.message.replace(/^url: /, ''));
        throw error;
      }
    }
    return url;
  }

  private async checkMapping(mapping: Partial<IdentityProviderMapping>): Promise<IdentityProviderMapping> {
    const normalised: IdentityProviderMapping = {
      domains: (mapping.domains ?? []).map((d) => ({ ...d, domain: d.domain.trim().toLowerCase() })),
      claim: mapping.claim ?? null,
    };
    if (normalised.domains.length === 0 && (normalised.claim?.values.length ?? 0) === 0) {
      throw validationFailed(
        'body/mapping',
        'map at least one e-mail domain or claim value to an organisation',
      );
    }
    const orgIds = [
      ...new Set([...normalised.domains, ...(normalised.claim?.values ?? [])].map((rule) => rule.orgId)),
    ];
    const found = new Set((await this.deps.identity.organisationsByIds(orgIds)).map((org) => org.id));
    const missing = orgIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw validationFailed('body/mapping', `no organisation ${missing.join(', ')}`);
    return normalised;
  }

  async createProvider(principal: Principal, input: IdentityProviderInput): Promise<IdentityProvider> {
    requireKind(principal, 'operator');
    requireRole(principal, 'admin');
    const issuer = await this.checkIssuer(input.issuer);
    const mapping = await this.checkMapping(input.mapping);
    const scopes = [...new Set(['openid', ...(input.scopes ?? defaultScopes)])];
    const id = newId('identityProvider');
    const candidate: IdentityProvider = {
      id,
      name: input.name.trim(),
      // Kept as given: discovery checks the document's `issuer` against it (OIDC Discovery §4.3).
      issuer: issuer.href === `${input.issuer}/` ? input.issuer : issuer.href,
      clientId: input.clientId,
      clientSecretSealed: sealSecret(this.deps.secretKey, id, input.clientSecret),
      scopes,
      mapping,
      createdBy: principal.userId,
      disabledAt: null,
      createdAt: this.deps.clock.now(),
    };
    // Fail now, not at the first sign-in: the issuer must publish a discovery document.
    await this.configurationFor(candidate);
    return this.db.transaction(async (tx) => {
      const [created] = await tx.insert(identityProviders).values(candidate).returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'identity-provider.create',
        object: { type: 'identity-provider', id },
        data: {
          name: candidate.name,
          issuer: candidate.issuer,
          clientId: candidate.clientId,
          scopes,
          mapping,
        },
      });
      return created!;
    });
  }

  async listProviders(principal: Principal): Promise<IdentityProvider[]> {
    requireKind(principal, 'operator');
    return this.db.select().from(identityProviders).orderBy(asc(identityProviders.id));
  }

  async getProvider(principal: Principal, id: string): Promise<IdentityProvider> {
    requireKind(principal, 'operator');
    const [provider] = await this.db.select().from(identityProviders).where(eq(identityProviders.id, id));
    if (!provider) throw notFound(`identity provider ${id}`);
    return provider;
  }

  /** Disabling stops new sign-ins through the provider; sessions already open run to their expiry. */
  async disableProvider(principal: Principal, id: string): Promise<IdentityProvider> {
    requireKind(principal, 'operator');
    requireRole(principal, 'admin');
    return this.db.transaction(async (tx) => {
      const [provider] = await tx
        .select()
        .from(identityProviders)
        .where(eq(identityProviders.id, id))
        .for('update');
      if (!provider) throw notFound(`identity provider ${id}`);
      if (provider.disabledAt) return provider;
      const [disabled] = await tx
        .update(identityProviders)
        .set({ disabledAt: this.deps.clock.now() })
        .where(eq(identityProviders.id, id))
        .returning();
      await this.deps.audit.append(tx, {
        actor: { type: principal.type, id: principal.userId },
        orgId: principal.orgId,
        action: 'identity-provider.disable',
        object: { type: 'identity-provider', id },
      });
      return disabled!;
    });
  }

  private async enabledProvider(id: string): Promise<IdentityProvider> {
    const [provider] = await this.db
      .select()
      .from(identityProviders)
      .where(and(eq(identityProviders.id, id), isNull(identityProviders.disabledAt)));
    if (!provider) throw notFound(`identity provider ${id}`);
    return provider;
  }

  // ---- people sign in ----

  /**
   * Starts a sign-in: a fresh `state`, `nonce` and PKCE verifier, kept server-side for ten minutes
   * and bound to this browser by a random value whose hash is stored (the caller sets it as a cookie).
   */
  async startLogin(
    providerId: string,
    input: { redirectUri: string; returnTo?: string },
  ): Promise<{ authorizationUrl: string; browserSecret: string }> {
    const provider = await this.enabledProvider(providerId);
    const configuration = await this.configurationFor(provider);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const browserSecret = randomBytes(32).toString('base64url');
    await this.db.insert(oidcLoginAttempts).values({
      id: newId('oidcLogin'),
      providerId,
      stateHash: sha256(state),
      browserHash: hashSecret(browserSecret),
      nonce,
      codeVerifier,
      redirectUri: input.redirectUri,
      returnTo: safeReturnTo(input.returnTo),
      expiresAt: new Date(this.deps.clock.now().getTime() + loginTtlMs),
    });
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: input.redirectUri,
      scope: provider.scopes.join(' '),
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: url.href, browserSecret };
  }

  /**
   * The provider sends the browser back here. The attempt is consumed first (single use, even when
   * a later check fails), then openid-client exchanges the code and validates the ID token: `iss`,
   * `aud` = our client id, the signature against the provider's JWKS, `exp`/`iat`, and `nonce`.
   * Every outcome, sign-in or refusal with its reason, lands in the ledger.
   */
  async finishLogin(
    providerId: string,
    input: { query: Record<string, string | undefined>; browserSecret: string | undefined; ip?: string },
  ) {
    let email: string | null = null;
    try {
      const attempt = await this.consumeAttempt(providerId, input.query.state, input.browserSecret);
      const provider = await this.enabledProvider(providerId);
      const configuration = await this.configurationFor(provider);
      const callbackUrl = new URL(attempt.redirectUri);
      for (const [name, value] of Object.entries(input.query)) {
        if (value !== undefined) callbackUrl.searchParams.set(name, value);
      }
      const claims = await this.verifiedClaims(configuration, callbackUrl, attempt);
      email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
      if (!email || claims.email_verified !== true) {
        throw new AppError(
          'sso-email-unverified',
          email
            ? `the provider does not vouch for ${email} (email_verified is not true)`
            : 'neither the ID token nor the UserInfo endpoint gives an e-mail',
        );
      }
      const mapped = mapToOrganisation(provider.mapping, { ...claims, email });
      if (!mapped) {
        throw new AppError(
          'sso-user-unmapped',
          `no organisation is mapped to the e-mail domain ${domainOf(email)}` +
            (provider.mapping.claim ? ` or to the values of the claim "${provider.mapping.claim.name}"` : ''),
        );
      }
      const session = await this.deps.identity.signInWithIdentityProvider(
        {
          providerId,
          subject: claims.sub,
          email,
          name: typeof claims.name === 'string' ? claims.name : email,
          orgId: mapped.orgId,
          role: mapped.role,
          mayLinkByEmail: provider.mapping.domains.some((d) => d.domain === domainOf(email!)),
        },
        { ip: input.ip },
      );
      return { ...session, returnTo: attempt.returnTo, mappedVia: mapped.via };
    } catch (error) {
      const refusal = error instanceof AppError ? error : new AppError('internal');
      await this.deps.audit.record({
        actor: { type: 'anonymous' },
        action: 'session.create',
        object: { type: 'identity-provider', id: providerId },
        decision: 'deny',
        reason: refusal.message,
        data: { method: 'oidc', providerId, code: refusal.code, email, ip: input.ip ?? null },
      });
      throw error;
    }
  }

  private async consumeAttempt(
    providerId: string,
    state: string | undefined,
    browserSecret: string | undefined,
  ) {
    if (!state) throw new AppError('sso-state-invalid', 'the callback carries no state');
    const now = this.deps.clock.now();
    // One UPDATE … WHERE used_at IS NULL: two concurrent callbacks with one state cannot both win.
    const [attempt] = await this.db
      .update(oidcLoginAttempts)
      .set({ usedAt: now })
      .where(
        and(
          eq(oidcLoginAttempts.stateHash, sha256(state)),
          eq(oidcLoginAttempts.providerId, providerId),
          isNull(oidcLoginAttempts.usedAt),
        ),
      )
      .returning();
    if (!attempt)
      throw new AppError('sso-state-invalid', 'the sign-in attempt is unknown or was already used');
    if (attempt.expiresAt <= now) throw new AppError('sso-state-invalid', 'the sign-in attempt has expired');
    // Login CSRF (RFC 6749 §10.12): a callback URL carried to another browser must not sign it in.
    if (!browserSecret || !safeEqual(hashSecret(browserSecret), attempt.browserHash)) {
      throw new AppError('sso-state-invalid', 'the sign-in was started in another browser');
    }
    return attempt;
  }

  private async verifiedClaims(
    configuration: oidc.Configuration,
    callbackUrl: URL,
    attempt: { nonce: string; codeVerifier: string },
  ) {
    const state = callbackUrl.searchParams.get('state')!;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      if (typeof claims.email === 'string') return claims;
      // Providers that keep ID tokens thin (OpenID Connect Core §5.4: with an access token, the
      // scope's claims may be served by the UserInfo endpoint only) are asked there. openid-client
      // checks that UserInfo's `sub` is the ID token's (§5.3.2), so another user's e-mail cannot be
      // slipped in; e-mail and email_verified are taken together from the one response.
      if (!configuration.serverMetadata().userinfo_endpoint) return claims;
      const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      return { ...info, ...claims, email: info.email, email_verified: info.email_verified };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (
        error instanceof oidc.ClientError ||
        error instanceof oidc.ResponseBodyError ||
        error instanceof oidc.AuthorizationResponseError
      ) {
        // openid-client's own message is generic; oauth4webapi's underneath names the claim.
        const cause = error.cause instanceof Error ? error.cause : error;
        const code = (error as { error?: string }).error ?? (error as { code?: string }).code;
        throw new AppError('sso-token-invalid', `${cause.message}${code ? ` (${code})` : ''}`);
      }
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError' || (error as Error).message === 'fetch failed') {
        throw new AppError('upstream-unavailable', 'the identity provider did not answer the code exchange');
      }
      throw error;
    }
  }
}
