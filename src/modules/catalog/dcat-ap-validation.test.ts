import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, publishDataset } from '../../../test/data-products.js';
import {
  createTenant,
  createTestPlatform,
  dbTargets,
  type Tenant,
  type TestPlatform,
} from '../../../test/harness.js';

const dct = 'http://purl.org/dc/terms/';

describe.each(dbTargets)('DCAT-AP 3 validation on publish (%s)', (target) => {
  let platform: TestPlatform;
  let provider: Tenant;

  beforeAll(async () => {
    platform = await createTestPlatform(target);
    provider = await createTenant(platform, { kinds: ['provider'] });
  });
  afterAll(async () => platform?.dispose());

  /** A draft dataset with a confirmed version, ready to publish. */
  async function draft(title: string, description: string | null): Promise<string> {
    const created = await platform.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: provider.headers,
      payload: { title, slug: `ds_${Math.random().toString(36).slice(2, 8)}`, licence: 'proprietary' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    if (description !== null) {
      const described = await platform.app.inject({
        method: 'PATCH',
        url: `/v1/datasets/${id}`,
        headers: provider.headers,
        payload: { description },
      });
      expect(described.statusCode, described.body).toBe(200);
    }
    const body = multipartBody({ name: 'rooms.csv', content: 'room,seats\nA,10\nB,20\n' });
    const uploaded = await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${id}/versions`,
      headers: { ...provider.headers, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const confirmed = await platform.app.inject({
      method: 'PUT',
      url: `/v1/datasets/${id}/classifications`,
      headers: provider.headers,
      payload: { columns: { room: 'internal', seats: 'internal' } },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    return id;
  }

  const publish = (id: string) =>
    platform.app.inject({ method: 'POST', url: `/v1/datasets/${id}/publish`, headers: provider.headers });

  it('publishes a dataset whose record meets the shapes, and says so', async () => {
    const id = await draft('Meeting rooms', 'Seats per meeting room');
    const response = await publish(id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id,
      status: 'published',
      dcatAp: { conforms: true, warnings: [] },
    });
    // The helper the other suites use publishes through the same check.
    const other = await publishDataset(platform, provider, { title: 'Desks', content: 'desk,floor\n1,2\n' });
    expect(other.status).toBe('published');
  });

  it('refuses a record that breaks a mandatory shape with every finding, and leaves the draft as it was', async () => {
    // A title of blanks says nothing: the record has no title, and no description to fall back on.
    const id = await draft('   ', null);
    const response = await publish(id);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json() as {
      code: string;
      detail: string;
      violations: { focusNode: string; path: string; message: string }[];
      warnings: unknown[];
    };
    expect(problem.code).toBe('dcat-ap-invalid');
    const node = `http://localhost:80/v1/datasets/${id}`;
    expect(problem.violations).toEqual([
      { focusNode: node, path: `${dct}title`, message: expect.stringMatching(/a dataset has a title/) },
      {
        focusNode: node,
        path: `${dct}description`,
        message: expect.stringMatching(/a dataset has a description/),
      },
    ]);
    expect(problem.detail).toMatch(/2 mandatory shape/);
    expect(problem.warnings).toEqual([]);
    const unchanged = await platform.app.inject({ url: `/v1/datasets/${id}`, headers: provider.headers });
    expect(unchanged.json().status).toBe('draft');
    // Named properly, the same dataset publishes.
    const renamed = await platform.app.inject({
      method: 'PATCH',
      url: `/v1/datasets/${id}`,
      headers: provider.headers,
      payload: { title: 'Lecture theatres' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await publish(id)).statusCode).toBe(200);
  });
});
