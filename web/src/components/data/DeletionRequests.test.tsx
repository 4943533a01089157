// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import { type DeletionRequest, DeletionRequestCard, RevocationCard, revocationsOf } from './DeletionRequests';

const i18n = setupI18n('en');
const wrap = (children: ReactNode) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;

function request(overrides: Partial<DeletionRequest>): DeletionRequest {
  return {
    id: 'del_1',
    consentId: 'cns_1',
    providerOrgId: 'org_bank',
    granteeOrgId: 'org_lionrock',
    agreementId: 'agr_1',
    datasetId: 'ds_1',
    subjectKey: 'C00001',
    state: 'pending',
    dueAt: '2026-06-03T02:00:00.000Z',
    confirmedAt: null,
    evidence: null,
    escalatedAt: null,
    createdAt: '2026-05-04T02:00:00.000Z',
    ...overrides,
  };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('revocationsOf', () => {
  it('groups the requests per revoked consent, newest revocation first, counting the confirmed', () => {
    const groups = revocationsOf([
      request({ id: 'del_1', consentId: 'cns_1', state: 'confirmed', createdAt: '2026-05-04T02:00:00Z' }),
      request({
        id: 'del_2',
        consentId: 'cns_1',
        granteeOrgId: 'org_other',
        createdAt: '2026-05-04T02:00:00Z',
      }),
      request({ id: 'del_3', consentId: 'cns_2', subjectKey: 'C00002', createdAt: '2026-05-05T02:00:00Z' }),
    ]);
    expect(groups.map((g) => [g.consentId, g.subjectKey, g.requests.length, g.confirmed])).toEqual([
      ['cns_2', 'C00002', 1, 0],
      ['cns_1', 'C00001', 2, 1],
    ]);
  });
});

describe('RevocationCard', () => {
  it("shows the provider each grantee's answer to one revocation, with its evidence", () => {
    const [revocation] = revocationsOf([
      request({ state: 'confirmed', confirmedAt: '2026-05-06T02:00:00Z', evidence: 'ticket LR-4411' }),
      request({ id: 'del_2', granteeOrgId: 'org_other', state: 'overdue' }),
    ]);
    const names: Record<string, string> = { org_lionrock: 'Lion Rock Bank', org_other: 'Other Co' };
    render(
      wrap(
        <RevocationCard revocation={revocation!} datasetTitle="SME customers" orgName={(id) => names[id]!} />,
      ),
    );
    const card = screen.getByRole('listitem', { name: 'Consent of subject C00001 withdrawn' });
    expect(card.textContent).toContain('1 of 2 confirmed');
    const [lionRock, other] = within(card).getAllByRole('listitem');
    expect(lionRock!.textContent).toContain('Lion Rock Bank');
    expect(lionRock!.textContent).toContain('ticket LR-4411');
    expect(other!.textContent).toContain('Other Co');
    expect(other!.textContent).toContain('overdue');
  });
});

describe('DeletionRequestCard', () => {
  it('confirms the deletion with the evidence given and hands back what the platform answered', async () => {
    const confirmed = request({
      state: 'confirmed',
      confirmedAt: '2026-05-06T02:00:00Z',
      evidence: 'purged',
    });
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(JSON.stringify(confirmed), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onConfirmed = vi.fn();
    render(
      wrap(
        <DeletionRequestCard
          request={request({})}
          datasetTitle="SME customers"
          providerName="Harbour Bank"
          onConfirmed={onConfirmed}
        />,
      ),
    );
    const card = screen.getByRole('listitem', { name: 'Harbour Bank asks you to delete' });
    expect(card.textContent).toContain('C00001');
    fireEvent.change(screen.getByLabelText('Evidence (optional): a ticket or log reference'), {
      target: { value: '  purged  ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm deletion' }));
    await waitFor(() => expect(onConfirmed).toHaveBeenCalledWith(confirmed));
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toContain('/v1/deletion-requests/del_1/confirm');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ evidence: 'purged' });
  });

  it('shows a confirmed request without the form', () => {
    render(
      wrap(
        <DeletionRequestCard
          request={request({ state: 'confirmed', confirmedAt: '2026-05-06T02:00:00Z', evidence: 'purged' })}
          datasetTitle="SME customers"
          providerName="Harbour Bank"
          onConfirmed={() => {}}
        />,
      ),
    );
    expect(screen.queryByRole('button', { name: 'Confirm deletion' })).toBeNull();
    expect(screen.getByRole('listitem').textContent).toContain('purged');
  });
});
