// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n';
import { type DeclaredOrganisation, LocationCard } from './Locations';

const wrap = (children: ReactNode, language: 'en' | 'zh-HK' = 'en') => (
  <I18nextProvider i18n={setupI18n(language)}>{children}</I18nextProvider>
);

const hengqin: DeclaredOrganisation = {
  id: 'org_hengqin',
  slug: 'hengqin-medtech',
  name: 'Hengqin MedTech',
  kinds: ['consumer'],
  status: 'active',
  sector: 'Medical technology',
  description: 'Wearable cardiac monitors.',
  declaredLocation: 'zhuhai',
  location: null,
  locationVerifiedAt: null,
  createdAt: '2026-12-04T02:00:00.000Z',
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('LocationCard', () => {
  it('shows what the organisation declared in words and starts the form from it', () => {
    render(wrap(<LocationCard org={hengqin} onVerified={() => {}} />));
    const card = screen.getByRole('listitem', { name: 'Hengqin MedTech' });
    expect(card.textContent).toContain('Declared locationZhuhai');
    expect(card.textContent).toContain('4 Dec 2026');
    expect(card.textContent).not.toContain('zhuhai');
    expect((screen.getByLabelText('Verified location') as HTMLSelectElement).value).toBe('zhuhai');
    // No evidence, no verification.
    expect((screen.getByRole('button', { name: 'Verify location' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });

  it('records the chosen location with the evidence, trimmed, and hands back what the platform answered', async () => {
    const verified = { ...hengqin, location: 'zhuhai', locationVerifiedAt: '2026-12-05T02:00:00.000Z' };
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(JSON.stringify(verified), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onVerified = vi.fn();
    render(wrap(<LocationCard org={hengqin} onVerified={onVerified} />));
    fireEvent.change(screen.getByLabelText('Evidence'), { target: { value: '  licence 91440400MA  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify location' }));
    await waitFor(() => expect(onVerified).toHaveBeenCalledWith(verified));
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/v1/orgs/org_hengqin/location');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(String(init.body))).toEqual({ location: 'zhuhai', evidence: 'licence 91440400MA' });
  });

  it('shows a refusal as the platform gave it, and the form stays', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        new Response(
          JSON.stringify({ status: 403, code: 'forbidden', title: 'Forbidden', detail: 'operators only' }),
          {
            status: 403,
            headers: { 'content-type': 'application/problem+json' },
          },
        ),
      ),
    );
    const onVerified = vi.fn();
    render(wrap(<LocationCard org={hengqin} onVerified={onVerified} />));
    fireEvent.change(screen.getByLabelText('Evidence'), { target: { value: 'licence' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify location' }));
    await screen.findByRole('alert');
    expect(screen.getByRole('alert').textContent).toContain('operators only');
    expect(onVerified).not.toHaveBeenCalled();
  });

  it('speaks Chinese with places in words', () => {
    render(wrap(<LocationCard org={hengqin} onVerified={() => {}} />, 'zh-HK'));
    expect(screen.getByRole('listitem').textContent).toContain('申報所在地珠海');
    screen.getByRole('button', { name: '核實所在地' });
  });
});
