import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useSearchParams } from 'react-router';
import { get } from '../api';
import { EvidenceBundlePanel } from '../components/community/EvidenceBundlePanel';
import { LedgerPanel } from '../components/community/LedgerPanel';
import { ReviewQueuePanel } from '../components/community/ReviewQueuePanel';
import { TransfersPanel } from '../components/community/TransfersPanel';
import { type DirectoryEntry, type TransferState, transferStates } from '../components/community/types';
import { Notice, PageHeader } from '../components/Feedback';
import { useLoad } from '../hooks';
import { hasKind, useMe } from '../session';

function TransfersTab({ orgName }: { orgName: (orgId: string | null) => string }) {
  const [params, setParams] = useSearchParams();
  const raw = params.get('state') ?? '';
  const state = (transferStates as readonly string[]).includes(raw) ? (raw as TransferState) : '';
  return (
    <TransfersPanel
      orgName={orgName}
      state={state}
      onStateChange={(next) => setParams(next ? { state: next } : {}, { replace: true })}
    />
  );
}

/** The regulator's desk: the review queue, the evidence ledger and cross-boundary transfers. */
export function Regulator() {
  const { t } = useTranslation();
  const me = useMe();
  const isRegulator = hasKind(me, 'regulator');
  const mayOversee = isRegulator || hasKind(me, 'operator');
  // Names for the organisation ids that ledger entries and transfers carry.
  const directory = useLoad(
    () => (mayOversee ? get<{ items: DirectoryEntry[] }>('/v1/directory') : Promise.resolve({ items: [] })),
    [mayOversee],
  );
  const names = new Map((directory.data?.items ?? []).map((entry) => [entry.id, entry.name]));
  if (me.organisation.id) names.set(me.organisation.id, me.organisation.name);
  // An organisation outside the directory (the operator, one not yet active) shows as a short id.
  const orgName = (orgId: string | null) => (orgId ? (names.get(orgId) ?? `${orgId.slice(0, 12)}…`) : '—');

  if (!mayOversee) {
    return (
      <section>
        <PageHeader title={t('community.regulator.title')} />
        <Notice kind="warning">{t('community.regulator.regulatorsOnly')}</Notice>
      </section>
    );
  }
  return (
    <section>
      <PageHeader title={t('community.regulator.title')} lead={t('community.regulator.lead')} />
      <nav className="tabs" aria-label={t('community.regulator.sections')}>
        {isRegulator && (
          <NavLink to="/regulator" end>
            {t('community.regulator.queue')}
          </NavLink>
        )}
        <NavLink to="/regulator/ledger">{t('community.regulator.ledger')}</NavLink>
        <NavLink to="/regulator/transfers">{t('community.regulator.transfers')}</NavLink>
      </nav>
      <Routes>
        <Route
          index
          element={
            isRegulator ? (
              <ReviewQueuePanel />
            ) : (
              <LedgerPanel orgName={orgName} organisations={directory.data?.items ?? []} />
            )
          }
        />
        <Route
          path="ledger"
          element={
            <>
              <EvidenceBundlePanel organisations={directory.data?.items ?? []} />
              <LedgerPanel orgName={orgName} organisations={directory.data?.items ?? []} />
            </>
          }
        />
        <Route path="transfers" element={<TransfersTab orgName={orgName} />} />
        <Route path="*" element={<Navigate to="/regulator" replace />} />
      </Routes>
    </section>
  );
}
