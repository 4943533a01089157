import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { get, post } from '../api';
import { AnswerForm } from '../components/community/AnswerForm';
import { FollowButton } from '../components/community/FollowButton';
import { formatDateTime } from '../components/community/logic';
import type { Wish, WishDetail } from '../components/community/types';
import { VoteButton } from '../components/community/VoteButton';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/Feedback';
import { useAction, useLoad } from '../hooks';
import { hasKind, isAdmin, useMe } from '../session';

/** One wish: what is asked, the answers linking datasets and APIs, and answering it as a provider. */
export function WishPage() {
  const { wishId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const justPosted = (location.state as { posted?: boolean } | null)?.posted === true;
  const wish = useLoad(() => get<WishDetail>(`/v1/wishes/${encodeURIComponent(wishId)}`), [wishId]);
  const close = useAction(async () => {
    await post<Wish>(`/v1/wishes/${encodeURIComponent(wishId)}/close`);
    wish.reload();
  });

  const back = (
    <p>
      <Link to="/wishes">← {t('community.wish.back')}</Link>
    </p>
  );
  if (!wish.data) {
    return (
      <section>
        {back}
        <ErrorMessage error={wish.error} />
        {wish.isLoading && <Loading />}
      </section>
    );
  }
  const w = wish.data;
  const isMine = w.orgId === me.organisation.id;
  const mayClose = isMine && (w.createdBy === me.user.id || isAdmin(me)) && w.status !== 'closed';
  const isProvider = hasKind(me, 'provider');

  return (
    <section>
      {back}
      <PageHeader
        title={w.title}
        lead={t('community.wishes.postedBy', {
          name: w.createdByName,
          org: w.orgName,
          date: formatDateTime(w.createdAt, i18n.language),
        })}
        actions={<StatusBadge status={w.status} />}
      />
      {justPosted && <Notice kind="success">{t('community.wish.posted')}</Notice>}
      <div className="panel">
        <p className="wish-description">{w.description}</p>
        {w.tags.length > 0 && (
          <ul className="tag-list" aria-label={t('community.wishes.tags')}>
            {w.tags.map((tag) => (
              <li key={tag} className="badge">
                {tag}
              </li>
            ))}
          </ul>
        )}
        <div className="actions wish-actions">
          <VoteButton
            key={`vote-${w.votes}-${w.votedByMe}`}
            wishId={w.id}
            title={w.title}
            votes={w.votes}
            votedByMe={w.votedByMe}
            disabled={w.status === 'closed'}
          />
          <FollowButton
            key={`follow-${w.followedByMe}`}
            path={`/v1/wishes/${w.id}/follow`}
            isFollowing={w.followedByMe}
            name={w.title}
          />
          {mayClose && (
            <button
              type="button"
              className="button button-small button-danger"
              disabled={close.isPending}
              onClick={() => void close.run()}
            >
              {t('community.wish.close')}
            </button>
          )}
        </div>
        <ErrorMessage error={close.error} />
      </div>

      <h2>{t('community.wish.responsesTitle', { count: w.responses.length })}</h2>
      {w.responses.length === 0 && <Empty>{t('community.wish.noResponses')}</Empty>}
      <ol className="response-list">
        {w.responses.map((response) => (
          <li key={response.id} className="card response-card">
            <div className="card-head">
              <h3>
                <Link to={`/${response.target.type === 'api' ? 'apis' : 'datasets'}/${response.target.id}`}>
                  {response.target.name}
                </Link>
              </h3>
              <span className="badge">{t(`community.wish.targetType.${response.target.type}`)}</span>
            </div>
            <p className="meta">
              {t('community.wish.answeredBy')}{' '}
              <Link to={`/community/${response.orgId}`}>{response.orgName}</Link>
              {' · '}
              <time dateTime={response.createdAt}>{formatDateTime(response.createdAt, i18n.language)}</time>
            </p>
            <p className="response-message">{response.message}</p>
          </li>
        ))}
      </ol>

      {isProvider &&
        w.status !== 'closed' &&
        (isAdmin(me) ? (
          <AnswerForm
            wishId={w.id}
            orgId={me.organisation.id}
            linkedIds={w.responses.map((r) => r.target.id)}
            onAnswered={() => wish.reload()}
          />
        ) : (
          <Notice>{t('community.answer.adminsOnly')}</Notice>
        ))}
      {w.status === 'closed' && <Notice>{t('community.wish.closedNotice')}</Notice>}
    </section>
  );
}
