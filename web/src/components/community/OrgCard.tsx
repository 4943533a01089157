import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FollowButton } from './FollowButton';
import type { DirectoryEntry } from './types';

/** One organisation in the directory: what it is, where, what it offers, and following it. */
export function OrgCard({ entry, isMine }: { entry: DirectoryEntry; isMine: boolean }) {
  const { t } = useTranslation();
  const [isFollowing, setFollowing] = useState(entry.followedByMe);
  // Followers are people: the count moves by one when the caller follows or stops.
  const followers = entry.followers - (entry.followedByMe ? 1 : 0) + (isFollowing ? 1 : 0);
  return (
    <li className="card org-card">
      <div className="card-head">
        <h2>
          <Link to={`/community/${entry.id}`}>{entry.name}</Link>
        </h2>
        <span className="org-roles">
          {entry.roles.map((role) => (
            <span key={role} className={`badge badge-role-${role}`}>
              {t(`community.roles.${role}`)}
            </span>
          ))}
        </span>
      </div>
      <p className="meta">
        {[entry.sector, entry.location ? t(`location.${entry.location}`) : null].filter(Boolean).join(' · ')}
      </p>
      {entry.description && <p className="org-description">{entry.description}</p>}
      <dl className="org-counts">
        <div>
          <dt>{t('community.directory.apis')}</dt>
          <dd>{entry.apiCount}</dd>
        </div>
        <div>
          <dt>{t('community.directory.datasets')}</dt>
          <dd>{entry.datasetCount}</dd>
        </div>
        <div>
          <dt>{t('community.directory.followers')}</dt>
          <dd>{followers}</dd>
        </div>
      </dl>
      <div className="actions">
        {isMine ? (
          <span className="badge">{t('community.directory.yours')}</span>
        ) : (
          <FollowButton
            path={`/v1/orgs/${entry.id}/follow`}
            isFollowing={entry.followedByMe}
            name={entry.name}
            onChange={setFollowing}
          />
        )}
      </div>
    </li>
  );
}
