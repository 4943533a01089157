import type { LightMyRequestResponse } from 'fastify';
import type { TermsOverrides } from '../src/modules/access/terms.js';
import type { Classification } from '../src/modules/catalog/schema.js';
import type { Tenant, TestPlatform } from './harness.js';

/** A multipart/form-data body with optional fields and one file part, as a browser or curl would send it. */
export function multipartBody(
  file: { name: string; content: string | Buffer; type?: string },
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----stp${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function expectStatus(response: LightMyRequestResponse, status: number, what: string) {
  if (response.statusCode !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.statusCode} ${response.body}`);
  }
  return response.json();
}

export interface PublishOptions {
  title: string;
  slug?: string;
  licence?: string;
  fileName?: string;
  content: string | Buffer;
  /** Confirm these classifications (the rest keep the suggestion); default: confirm the suggestions. */
  classifications?: Record<string, Classification>;
  publish?: boolean;
}

export interface PublishedDataset {
  id: string;
  slug: string;
  isOpen: boolean;
  status: string;
  currentVersion: {
    id: string;
    rowCount: number;
    columns: { name: string; type: string; suggested: string }[];
  };
}

/** Creates, uploads, confirms and (by default) publishes a dataset through the HTTP API. */
export async function publishDataset(
  platform: TestPlatform,
  provider: Tenant,
  options: PublishOptions,
): Promise<PublishedDataset> {
  const created = expectStatus(
    await platform.app.inject({
      method: 'POST',
      url: '/v1/datasets',
      headers: provider.headers,
      payload: {
        title: options.title,
        ...(options.slug ? { slug: options.slug } : {}),
        licence: options.licence ?? 'proprietary',
      },
    }),
    201,
    'create dataset',
  );
  const body = multipartBody({ name: options.fileName ?? 'data.csv', content: options.content });
  const uploaded = expectStatus(
    await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${created.id}/versions`,
      headers: { ...provider.headers, ...body.headers },
      payload: body.payload,
    }),
    201,
    'upload',
  );
  expectStatus(
    await platform.app.inject({
      method: 'PUT',
      url: `/v1/datasets/${created.id}/classifications`,
      headers: provider.headers,
      payload: { columns: options.classifications ?? {} },
    }),
    200,
    'confirm classifications',
  );
  if (options.publish === false) return uploaded as PublishedDataset;
  return expectStatus(
    await platform.app.inject({
      method: 'POST',
      url: `/v1/datasets/${created.id}/publish`,
      headers: provider.headers,
    }),
    200,
    'publish',
  ) as PublishedDataset;
}

export interface RequestOptions {
  columns: string[];
  purpose?: string;
  durationDays?: number;
  wantsDownload?: boolean;
  terms?: TermsOverrides;
}

/** The consumer asks, the provider approves with the given terms; returns the agreement. */
export async function grantAccess(
  platform: TestPlatform,
  consumer: Tenant,
  provider: Tenant,
  datasetId: string,
  options: RequestOptions,
) {
  const request = expectStatus(
    await platform.app.inject({
      method: 'POST',
      url: '/v1/access-requests',
      headers: consumer.headers,
      payload: {
        datasetId,
        purpose: options.purpose ?? 'research',
        purposeText: 'testing the governed path',
        columns: options.columns,
        durationDays: options.durationDays ?? 30,
        wantsDownload: options.wantsDownload ?? false,
      },
    }),
    201,
    'request access',
  );
  const approved = expectStatus(
    await platform.app.inject({
      method: 'POST',
      url: `/v1/access-requests/${request.id}/approve`,
      headers: provider.headers,
      payload: options.terms ?? {},
    }),
    200,
    'approve',
  );
  return approved.agreement as { id: string; terms: Record<string, unknown>; state: string };
}

export async function runQuery(platform: TestPlatform, tenant: Tenant, sql: string, extra: object = {}) {
  return platform.app.inject({
    method: 'POST',
    url: '/v1/query',
    headers: tenant.headers,
    payload: { sql, ...extra },
  });
}

/** A small synthetic customer table with personal columns, deterministic. */
export function customersCsv(rows = 40): string {
  const districts = ['Sha Tin', 'Kwun Tong', 'Central and Western', 'Yau Tsim Mong'];
  const lines = ['customer_id,full_name,email,district,age,balance,opened_on'];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      [
        `C${String(i).padStart(5, '0')}`,
        `Customer ${i}`,
        `customer${i}@example.hk`,
        districts[i % districts.length],
        20 + ((i * 7) % 50),
        (i * 1234.5).toFixed(2),
        `20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 10}`,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
