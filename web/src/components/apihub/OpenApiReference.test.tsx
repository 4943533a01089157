// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import en from '../../locales/en/apihub.json';
import zh from '../../locales/zh-HK/apihub.json';
import { OpenApiReference } from './OpenApiReference';

const document = {
  openapi: '3.0.3',
  tags: [{ name: 'buildings', description: 'The metered buildings' }],
  paths: {
    '/buildings/{buildingId}': {
      get: {
        tags: ['buildings'],
        summary: 'One building',
        parameters: [
          { name: 'buildingId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'fields', in: 'query', schema: { type: 'string' }, description: 'comma-separated' },
        ],
        responses: {
          '200': {
            description: 'The building',
            content: {
              'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } },
            },
          },
        },
      },
    },
  },
};

function renderReference(props: Partial<Parameters<typeof OpenApiReference>[0]> = {}) {
  return render(
    <I18nextProvider i18n={setupI18n('en')}>
      <OpenApiReference
        document={document}
        fallback={[]}
        gatewayBase="/gw/park-building-energy"
        apiKey="stpk_secret"
        {...props}
      />
    </I18nextProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('OpenApiReference', () => {
  it('renders operations by tag with their parameters and responses', () => {
    renderReference();
    expect(screen.getByRole('heading', { level: 3, name: 'buildings' })).toBeTruthy();
    expect(screen.getByText('/buildings/{buildingId}')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Required' })).toBeTruthy();
    expect(screen.getByText('comma-separated')).toBeTruthy();
    expect(screen.getByText('The building')).toBeTruthy();
  });

  it('calls the operation through the gateway with the key and shows status, headers and body', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(JSON.stringify({ id: 'b15w', name: 'Building 15W' }), {
          status: 200,
          headers: { 'content-type': 'application/json', 'ratelimit-remaining': '9' },
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderReference();
    const send = screen.getByRole('button', { name: 'Send request' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true); // the path parameter is still empty
    fireEvent.change(screen.getByRole('textbox', { name: /^buildingId/ }), { target: { value: 'b15w' } });
    fireEvent.change(screen.getByRole('textbox', { name: /^fields/ }), { target: { value: 'id,name' } });
    fireEvent.click(send);
    await waitFor(() => expect(screen.getByTestId('try-it-status').textContent).toMatch(/^200/));
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/gw/park-building-energy/buildings/b15w?fields=id%2Cname');
    expect(init.credentials).toBe('omit');
    expect((init.headers as Record<string, string>)['x-api-key']).toBe('stpk_secret');
    expect(screen.getByTestId('try-it-body').textContent).toContain('"name": "Building 15W"');
    expect(screen.getByText('ratelimit-remaining')).toBeTruthy();
  });

  it('copies the operation as curl with a key placeholder, never the key, and says so', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderReference();
    fireEvent.click(screen.getByRole('button', { name: 'Copy as curl' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied'));
    const copied = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(copied).toBe(
      `curl '${window.location.origin}/gw/park-building-energy/buildings/{buildingId}' \\\n  -H 'x-api-key: <YOUR_API_KEY>'`,
    );
    expect(copied).not.toContain('stpk_secret');
  });

  it('shows the call in curl, Python and JavaScript on tabs', () => {
    renderReference();
    expect(screen.getByTestId('code-sample').textContent).toMatch(/^curl /);
    fireEvent.click(screen.getByRole('tab', { name: 'Python' }));
    expect(screen.getByTestId('code-sample').textContent).toContain('import requests');
    fireEvent.click(screen.getByRole('tab', { name: 'JavaScript' }));
    expect(screen.getByTestId('code-sample').textContent).toContain('await fetch(');
    expect(screen.getByRole('tab', { name: 'JavaScript' }).getAttribute('aria-selected')).toBe('true');
  });

  it('says when the clipboard refuses', async () => {
    vi.stubGlobal('navigator', {
      ...navigator,
      clipboard: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) },
    });
    renderReference();
    fireEvent.click(screen.getByRole('button', { name: 'Copy code' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Could not copy/));
  });

  it('falls back to the listed operations when the document is not JSON', () => {
    renderReference({
      document: null,
      fallback: [{ method: 'get', path: '/items/{id}', operationId: null, summary: 'An item', tags: [] }],
    });
    expect(screen.getByText(/only the operations are listed/)).toBeTruthy();
    expect(screen.getByText('/items/{id}')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /^id/ })).toBeTruthy();
  });
});

describe('the API hub wording', () => {
  const keys = (value: unknown, prefix = ''): string[] =>
    Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
      typeof inner === 'object' && inner !== null ? keys(inner, `${prefix}${key}.`) : [`${prefix}${key}`],
    );

  it('has the same keys in English and Traditional Chinese', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });
});
