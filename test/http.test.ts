import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  problemOf,
  type Tenant,
  type TestPlatform,
} from './harness.js';

describe.each(dbTargets)('HTTP basics on %s', (target) => {
  let platform: TestPlatform;
  let tenant: Tenant;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    tenant = await createTenant(platform);
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  it('answers health, readiness and Prometheus metrics without signing in', async () => {
    expect((await platform.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await platform.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: target });
    const metrics = await platform.app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('stp_http_request_duration_seconds');
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
  });

  it('publishes an OpenAPI 3.1 document of the platform API and a rendered reference', async () => {
    const doc = (await platform.app.inject('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/auth/login', '/v1/me', '/v1/orgs', '/v1/tokens', '/v1/audit']),
    );
    expect(doc.paths['/v1/auth/login'].post.security).toEqual([]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const docs = await platform.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('echoes a sane X-Request-Id and invents one otherwise', async () => {
    const given = await platform.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
    const invented = await platform.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\r\nx: y' },
    });
    expect(invented.headers['x-request-id']).toMatch(/^req_/);
  });

  it('answers malformed JSON with 400 problem+json saying where it broke', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { ...tenant.headers, 'content-type': 'application/json' },
      payload: '{"name": "ci",',
    });
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem.code).toBe('malformed-json');
    expect(problem.detail).toMatch(/not valid JSON: .*(JSON|position|end)/i);
  });

  it('refuses prototype-poisoning keys', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { ...tenant.headers, 'content-type': 'application/json' },
      payload: '{"name":"x","__proto__":{"admin":true}}',
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).code).toBe('malformed-json');
  });

  it('rejects unknown fields, naming them', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: tenant.headers,
      payload: { name: 'ci', scopes: ['everything'] },
    });
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem.code).toBe('validation-failed');
    expect(problem.detail).toBe('body/scopes: is not a known field');
  });

  it('names a missing or mistyped field', async () => {
    const missing = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: tenant.headers,
      payload: {},
    });
    expect(problemOf(missing).detail).toBe('body/name: is required');
    const mistyped = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: tenant.headers,
      payload: { name: 'ci', expiresInDays: 'soon' },
    });
    expect(problemOf(mistyped).detail).toMatch(/^body\/expiresInDays: must be integer/);
  });

  it('refuses oversized bodies with 413 and other media types with 415', async () => {
    const big = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: tenant.headers,
      payload: { name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(big.statusCode).toBe(413);
    expect(problemOf(big).code).toBe('payload-too-large');
    const form = await platform.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { ...tenant.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    expect(form.statusCode).toBe(415);
    expect(problemOf(form).code).toBe('unsupported-media-type');
  });

  it('answers unknown routes and malformed ids with problem+json', async () => {
    const unknown = await platform.app.inject({ url: '/v1/nothing-here', headers: tenant.headers });
    expect(unknown.statusCode).toBe(404);
    expect(problemOf(unknown).code).toBe('not-found');
    const badId = await platform.app.inject({ url: '/v1/orgs/not-an-id', headers: tenant.headers });
    expect(badId.statusCode).toBe(400);
    expect(problemOf(badId).detail).toMatch(/^params\/orgId: must match pattern/);
  });

  // Last: it closes the database under the running app.
  it('reports unreadiness and hides internals when the database is gone', async () => {
    await platform.database.close();
    const ready = await platform.app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(problemOf(ready).code).toBe('unavailable');
    expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);
    const me = await platform.app.inject({ url: '/v1/me', headers: tenant.headers });
    expect(me.statusCode).toBe(500);
    const problem = problemOf(me);
    expect(problem.code).toBe('internal');
    expect(me.body).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(me.body).not.toMatch(/pglite|pg-pool|drizzle|closed/i);
  });
});
