import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type RunningUpstream, startBuildingEnergyUpstream } from '../src/demo/building-energy.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { createCredential, publishDemoApi, subscribe } from './api-hub.js';
import {
  adminEmail,
  cookieOf,
  createTenant,
  operatorCookie,
  password,
  type Tenant,
  type TestPlatform,
} from './harness.js';

/**
 * Secrets never reach the logs. The platform runs with its own logger (its level, its redaction) at
 * `trace`, writing into memory; every way a secret enters or leaves is exercised over real sockets
 * and in-process; then the captured text is searched for each secret value. A log line is read by
 * whoever operates the log pipeline, which is more people than may hold a tenant's keys.
 */
describe('secrets never in logs', () => {
  const lines: string[] = [];
  let platform: TestPlatform;
  let dataDir: string;
  let upstream: RunningUpstream;
  let discovery: Server;
  let base: string;
  /** Every secret the run handled, by what it is, so a failure names the one that leaked. */
  const secrets = new Map<string, string>();

  const capture = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'stp-secrets-'));
    const config = loadConfig(
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'trace',
        STP_ADMIN_EMAIL: adminEmail,
        STP_ADMIN_PASSWORD: password,
        STP_ALLOW_PRIVATE_FETCH: '1',
      },
      {},
    );
    const created: Platform = await createPlatform(config, {
      pgliteDir: 'memory://',
      logDestination: capture,
    });
    await created.app.ready();
    await created.identity.bootstrapOperator({ email: adminEmail, password });
    const admin = (await created.identity.findUserByEmail(adminEmail))!;
    const operatorOrg = (await created.identity.findOrganisationBySlug('stp-operations'))!;
    const operator = (await created.identity.principalFor('session', admin.id, operatorOrg.id, {}))!;
    platform = {
      ...created,
      dataDir,
      operator,
      dispose: async () => {
        await created.close();
        await rm(dataDir, { recursive: true, force: true });
      },
      restart: () => Promise.reject(new Error('not used here')),
    };
    upstream = await startBuildingEnergyUpstream();
    discovery = await startDiscovery();
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    await platform?.dispose();
    await upstream?.close();
    await new Promise((resolve) => discovery?.close(resolve));
  });

  /** Just enough of an OpenID provider for the platform's discovery check at creation. */
  async function startDiscovery(): Promise<Server> {
    const server = createServer((req, res) => {
      const { port } = server.address() as AddressInfo;
      const issuer = `http://127.0.0.1:${port}`;
      if (req.url !== '/.well-known/openid-configuration') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  const post = (url: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('handles passwords, sessions, tokens, keys and client secrets without logging one', async () => {
    const provider: Tenant = await createTenant(platform, { kinds: ['provider'] });
    const consumer: Tenant = await createTenant(platform, { kinds: ['consumer'] });
    secrets.set('password', password);
    secrets.set('provider session', provider.cookie.split('=')[1]!);
    secrets.set('consumer session', consumer.cookie.split('=')[1]!);

    // Password sign-in over the wire: wrong (people type a real password in the wrong box), then right.
    const wrongPassword = 'Wr0ng-but-someone-else-s-password-4711';
    secrets.set('wrong password', wrongPassword);
    expect(
      (await post('/v1/auth/login', {}, { email: consumer.email, password: wrongPassword })).status,
    ).toBe(401);
    const inEmailBox = await post('/v1/auth/login', {}, { email: wrongPassword, password: wrongPassword });
    expect([400, 401]).toContain(inEmailBox.status);
    const login = await post('/v1/auth/login', {}, { email: consumer.email, password });
    expect(login.status).toBe(200);
    const session = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    secrets.set('fresh session', session.split('=')[1]!);
    expect((await fetch(`${base}/v1/me`, { headers: { cookie: session } })).status).toBe(200);

    // A personal access token, created and used as a Bearer token.
    const pat = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: consumer.headers,
      payload: { name: 'ci' },
    });
    expect(pat.statusCode).toBe(201);
    const patSecret = (pat.json() as { secret: string }).secret;
    secrets.set('personal access token', patSecret);
    expect((await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${patSecret}` } })).status).toBe(
      200,
    );
    const forgedPat = `${patSecret.slice(0, -4)}zzzz`;
    secrets.set('forged personal access token', forgedPat);
    expect((await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${forgedPat}` } })).status).toBe(
      401,
    );

    // An API key through the gateway, right and wrong.
    const slug = 'energy-secrets';
    const hub = await publishDemoApi(platform, provider, { slug, upstreamUrl: upstream.url });
    expect((await subscribe(platform, consumer, hub.open.id)).statusCode).toBe(201);
    const apiKey = (await createCredential(platform, consumer, 'api-key')).secret;
    secrets.set('API key', apiKey);
    await platform.gateway.refresh();
    expect((await fetch(`${base}/gw/${slug}/buildings`, { headers: { 'x-api-key': apiKey } })).status).toBe(
      200,
    );
    const wrongKey = `${apiKey.slice(0, -4)}zzzz`;
    secrets.set('wrong API key', wrongKey);
    expect((await fetch(`${base}/gw/${slug}/buildings`, { headers: { 'x-api-key': wrongKey } })).status).toBe(
      401,
    );

    // OAuth2 client credentials: Basic auth, then the secret in the form body, then the access token.
    const client = await createCredential(platform, consumer, 'oauth-client');
    secrets.set('OAuth client secret', client.secret);
    await platform.gateway.refresh();
    const basic = Buffer.from(`${client.credential.id}:${client.secret}`).toString('base64');
    secrets.set('Basic credentials', basic);
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const accessToken = ((await token.json()) as { access_token: string }).access_token;
    secrets.set('access token', accessToken);
    const inForm = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.credential.id}&client_secret=${encodeURIComponent(client.secret)}`,
    });
    expect(inForm.status).toBe(200);
    const gatewayCall = await fetch(`${base}/gw/${slug}/buildings`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(gatewayCall.status).toBe(200);

    // A webhook's signing secret, shown once at creation.
    const webhook = await post('/v1/webhooks', consumer.headers, {
      url: 'http://127.0.0.1:9/hook',
      events: ['*'],
    });
    expect(webhook.status).toBe(201);
    secrets.set('webhook signing secret', ((await webhook.json()) as { secret: string }).secret);

    // A Delta Sharing recipient's bearer token, created and used.
    const recipient = await post('/v1/sharing/recipients', provider.headers, { name: 'partner' });
    expect(recipient.status).toBe(201);
    const bearer = ((await recipient.json()) as { profile: { bearerToken: string } }).profile.bearerToken;
    secrets.set('Delta Sharing bearer token', bearer);
    const shares = await fetch(`${base}/delta-sharing/shares`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(shares.status).toBe(200);

    // An identity provider's client secret, given by an operator.
    const operator = await operatorCookie(platform);
    secrets.set('operator session', operator.split('=')[1]!);
    const clientSecret = 'idp-client-secret-Zq8v3Lr2Xw9Nd5Kp';
    secrets.set('identity provider client secret', clientSecret);
    const idp = await post(
      '/v1/identity-providers',
      { cookie: operator },
      {
        name: 'Acme',
        issuer: `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`,
        clientId: 'stp',
        clientSecret,
        mapping: { domains: [{ domain: 'acme.test', orgId: consumer.orgId, role: 'member' }] },
      },
    );
    expect(idp.status, await idp.clone().text()).toBe(201);
    const providerId = ((await idp.json()) as { id: string }).id;

    // Credentials that travel in a URL's query, which every request line logs: an OIDC authorization
    // code (RFC 6749 §4.1.2) and a Delta Sharing pre-signed file URL's signature.
    const code = 'authorization-code-Hs7Qw2Ld9Vx4';
    secrets.set('OIDC authorization code', code);
    const callback = await fetch(`${base}/v1/auth/oidc/${providerId}/callback?code=${code}&state=xyz`, {
      redirect: 'manual',
    });
    expect(callback.status).toBeLessThan(500);
    const signature = 'presigned-signature-Mf3Rk8Tz1Bq6';
    secrets.set('pre-signed URL signature', signature);
    const file = await fetch(`${base}/delta-sharing/files/x?recipient=r&expires=1&signature=${signature}`);
    expect(file.status).toBeLessThan(500);

    // Refused cookies are logged as refusals, not as values.
    const staleCookie = 'stp_session=stp_ses_ThisSessionWasNeverIssuedByUs0000000000000';
    secrets.set('unknown session', staleCookie.split('=')[1]!);
    expect((await fetch(`${base}/v1/me`, { headers: { cookie: staleCookie } })).status).toBe(401);
    const injected = await platform.app.inject({ url: '/v1/me', headers: { cookie: staleCookie } });
    expect(cookieOf(injected)).toBe('');
  }, 60_000);

  it('has logged the requests, and none of the secrets', async () => {
    await platform.meter.flush();
    const log = lines.join('');
    // The log is not empty and does hold request lines: a silent logger would pass the search below.
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain('incoming request');
    expect(log).toContain('/v1/auth/login');
    expect(log).toContain('/oauth/token');
    // URLs with a credential in the query are still logged, with the value replaced.
    expect(log).toContain('signature=[redacted]');
    expect(log).toContain('code=[redacted]');
    expect(secrets.size).toBeGreaterThanOrEqual(15);
    const leaked = [...secrets].filter(([, value]) => log.includes(value)).map(([name]) => name);
    expect(leaked).toEqual([]);
    console.log(`secrets-in-logs: ${secrets.size} secrets checked against ${lines.length} log lines`);
  });
});
