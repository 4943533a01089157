import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get } from '../api';
import { FollowButton } from '../components/community/FollowButton';
import type { DirectoryProfile } from '../components/community/types';
import { Empty, ErrorMessage, Loading, PageHeader } from '../components/Feedback';
import { useLoad } from '../hooks';
import { useMe } from '../session';

/** Only http(s) websites become links; anything else is shown as text. */
function safeWebsite(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** An organisation's profile: who it is, and the APIs and datasets it offers everyone. */
export function OrgProfile() {
  const { orgId = '' } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const profile = useLoad(() => get<DirectoryProfile>(`/v1/directory/${encodeURIComponent(orgId)}`), [orgId]);
  const back = (
    <p>
      <Link to="/community">← {t('community.profile.back')}</Link>
    </p>
  );
  if (!profile.data) {
    return (
      <section>
        {back}
        <ErrorMessage error={profile.error} />
        {profile.isLoading && <Loading />}
      </section>
    );
  }
  const p = profile.data;
  const website = safeWebsite(p.website);
  const isMine = p.id === me.organisation.id;
  return (
    <section>
      {back}
      <PageHeader
        title={p.name}
        lead={[
          ...p.roles.map((role) => t(`community.roles.${role}`)),
          p.sector,
          p.location ? t(`location.${p.location}`) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
        actions={
          isMine ? (
            <span className="badge">{t('community.directory.yours')}</span>
          ) : (
            <FollowButton
              key={String(p.followedByMe)}
              path={`/v1/orgs/${p.id}/follow`}
              isFollowing={p.followedByMe}
              name={p.name}
              small={false}
              onChange={() => profile.reload()}
            />
          )
        }
      />
      <div className="panel">
        {p.description && <p>{p.description}</p>}
        <dl className="org-counts">
          <div>
            <dt>{t('community.directory.apis')}</dt>
            <dd>{p.apiCount}</dd>
          </div>
          <div>
            <dt>{t('community.directory.datasets')}</dt>
            <dd>{p.datasetCount}</dd>
          </div>
          <div>
            <dt>{t('community.directory.followers')}</dt>
            <dd>{p.followers}</dd>
          </div>
        </dl>
        {p.website && (
          <p className="meta">
            {t('community.profile.website')}{' '}
            {website ? (
              <a href={website} target="_blank" rel="noopener noreferrer">
                {p.website}
              </a>
            ) : (
              p.website
            )}
          </p>
        )}
      </div>
      <div className="grid-2 profile-offers">
        <section aria-labelledby="profile-apis">
          <h2 id="profile-apis">{t('community.profile.apis')}</h2>
          {p.apis.length === 0 ? (
            <Empty>{t('community.profile.noApis')}</Empty>
          ) : (
            <ul className="offer-list">
              {p.apis.map((api) => (
                <li key={api.id} className="card">
                  <h3>
                    <Link to={`/apis/${api.id}`}>{api.name}</Link>
                  </h3>
                  {api.description && <p className="meta">{api.description}</p>}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="profile-datasets">
          <h2 id="profile-datasets">{t('community.profile.datasets')}</h2>
          {p.datasets.length === 0 ? (
            <Empty>{t('community.profile.noDatasets')}</Empty>
          ) : (
            <ul className="offer-list">
              {p.datasets.map((dataset) => (
                <li key={dataset.id} className="card">
                  <div className="card-head">
                    <h3>
                      <Link to={`/datasets/${dataset.id}`}>{dataset.title}</Link>
                    </h3>
                    <span className={`badge${dataset.isOpen ? ' badge-open' : ''}`}>
                      {dataset.isOpen ? t('community.profile.open') : t('community.profile.governed')}
                    </span>
                  </div>
                  {dataset.description && <p className="meta">{dataset.description}</p>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
