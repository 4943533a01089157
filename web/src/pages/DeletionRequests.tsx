import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { useOrgNames } from '../components/data/common';
import {
  type DeletionRequest,
  DeletionRequestCard,
  RevocationCard,
  revocationsOf,
} from '../components/data/DeletionRequests';
import type { Dataset } from '../components/data/types';
import { Empty, ErrorMessage, Loading, PageHeader } from '../components/Feedback';
import { useLoad } from '../hooks';
import { useMe } from '../session';

async function loadDeletionRequests() {
  const { items } = await get<{ items: DeletionRequest[] }>('/v1/deletion-requests', { limit: 500 });
  const ids = [...new Set(items.map((request) => request.datasetId))];
  const datasets = await Promise.all(
    ids.map((id) => get<Dataset>(`/v1/datasets/${id}`).catch(() => undefined)),
  );
  const titles = new Map<string, string>();
  for (const dataset of datasets) if (dataset) titles.set(dataset.id, dataset.title);
  return { items, titles };
}

/**
 * Deletion requests from revoked consents: those asked of my organisation (confirm with evidence),
 * and, per consent my organisation revoked, each grantee's answer.
 */
export function DeletionRequests() {
  const { t } = useTranslation();
  const me = useMe();
  const loaded = useLoad(loadDeletionRequests, [me.organisation.id]);
  const orgs = useOrgNames();
  const items = loaded.data?.items ?? [];
  const titleOf = (id: string) => loaded.data?.titles.get(id) ?? id;
  const nameOf = (id: string) => orgs.get(id)?.name ?? id;
  const askedOfUs = items.filter((request) => request.granteeOrgId === me.organisation.id);
  const revocations = revocationsOf(items.filter((request) => request.providerOrgId === me.organisation.id));

  return (
    <section>
      <PageHeader title={t('data.deletions.title')} lead={t('data.deletions.lead')} />
      <ErrorMessage error={loaded.error} />
      {loaded.isLoading && !loaded.data && <Loading />}
      {loaded.data && items.length === 0 && <Empty>{t('data.deletions.none')}</Empty>}
      {askedOfUs.length > 0 && (
        <>
          <h2>{t('data.deletions.askedOfUs')}</h2>
          <ul className="cards">
            {askedOfUs.map((request) => (
              <DeletionRequestCard
                key={request.id}
                request={request}
                datasetTitle={titleOf(request.datasetId)}
                providerName={nameOf(request.providerOrgId)}
                onConfirmed={() => loaded.reload()}
              />
            ))}
          </ul>
        </>
      )}
      {revocations.length > 0 && (
        <>
          <h2>{t('data.deletions.ourRevocations')}</h2>
          <ul className="cards">
            {revocations.map((revocation) => (
              <RevocationCard
                key={revocation.consentId}
                revocation={revocation}
                datasetTitle={titleOf(revocation.datasetId)}
                orgName={nameOf}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
