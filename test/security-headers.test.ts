import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createTestPlatform, dbTargets, type Tenant, type TestPlatform } from './harness.js';

const apiPolicy = "default-src 'none'; frame-ancestors 'none'";

function expectBaseHeaders(headers: Record<string, unknown>) {
  expect(headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  });
}

describe.each(dbTargets)('security headers on %s', (target) => {
  let platform: TestPlatform;
  let tenant: Tenant;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    tenant = await createTenant(platform);
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  it('sends nosniff, no-referrer, DENY, COOP and a locked CSP on an API answer', async () => {
    const response = await platform.app.inject({ url: '/v1/me', headers: tenant.headers });
    expect(response.statusCode).toBe(200);
    expectBaseHeaders(response.headers);
    expect(response.headers['content-security-policy']).toBe(apiPolicy);
  });

  it('sends the same headers on problem answers (401, 404)', async () => {
    for (const url of ['/v1/me', '/v1/no-such-thing']) {
      const response = await platform.app.inject({ url });
      expect(response.headers['content-type']).toContain('application/problem+json');
      expectBaseHeaders(response.headers);
      expect(response.headers['content-security-policy']).toBe(apiPolicy);
    }
  });

  it('leaves the API reference under /docs its own swagger-ui CSP, and it still renders', async () => {
    const expectSwaggerPolicy = (response: { headers: Record<string, unknown> }) => {
      const policy = String(response.headers['content-security-policy']);
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain("default-src 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    };
    const page = await platform.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    expectSwaggerPolicy(page);
    // swagger-ui sends its static index.html to the page above, and serves its assets itself.
    const index = await platform.app.inject({ url: '/docs/static/index.html' });
    expect(index.statusCode).toBe(302);
    expect(index.headers.location).toBe('/docs/');
    expectSwaggerPolicy(index);
    const script = await platform.app.inject({ url: '/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
    expectSwaggerPolicy(script);
  });

  it('sends no HSTS without TLS (secure cookies off)', async () => {
    const response = await platform.app.inject({ url: '/healthz' });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it("marks the gateway's own problem answers nosniff", async () => {
    await platform.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = platform.app.server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/gw/no-such-api/x`);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    await response.arrayBuffer();
  });
});

describe.each(dbTargets)('HSTS with secure cookies (TLS) on %s', (target) => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await createTestPlatform(target, { env: { STP_SECURE_COOKIES: '1' } });
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  it('sends Strict-Transport-Security on API and problem answers', async () => {
    for (const url of ['/healthz', '/v1/me']) {
      const response = await platform.app.inject({ url });
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
  });
});
