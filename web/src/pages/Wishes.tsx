import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { get } from '../api';
import { FollowButton } from '../components/community/FollowButton';
import { formatDate } from '../components/community/logic';
import type { Wish, WishSort, WishStatus } from '../components/community/types';
import { VoteButton } from '../components/community/VoteButton';
import { WishForm } from '../components/community/WishForm';
import { Empty, ErrorMessage, Loading, PageHeader, StatusBadge } from '../components/Feedback';
import { useAction, useLoad, useUrlFilters } from '../hooks';

const statuses: WishStatus[] = ['open', 'answered', 'closed'];
const pageSize = 20;

interface WishPage {
  items: Wish[];
  nextCursor: string | null;
}

/** The data wish board: what the community asks for, most voted or newest first. */
export function Wishes() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params, setFilters] = useUrlFilters({ replace: true });
  const q = params.get('q') ?? '';
  const status = (params.get('status') ?? '') as WishStatus | '';
  const sort: WishSort = params.get('sort') === 'recent' ? 'recent' : 'votes';
  const [search, setSearch] = useState(q);
  const [isPosting, setPosting] = useState(false);
  useEffect(() => setSearch(q), [q]);

  const first = useLoad(
    () => get<WishPage>('/v1/wishes', { q, status, sort, limit: pageSize }),
    [q, status, sort],
  );
  const [more, setMore] = useState<WishPage>({ items: [], nextCursor: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new first page starts the list again
  useEffect(() => setMore({ items: [], nextCursor: null }), [first.data]);
  const loadMore = useAction(async (cursor: string) => {
    const page = await get<WishPage>('/v1/wishes', { q, status, sort, limit: pageSize, cursor });
    setMore((previous) => ({ items: [...previous.items, ...page.items], nextCursor: page.nextCursor }));
  });
  const items = [...(first.data?.items ?? []), ...more.items];
  const nextCursor = more.items.length > 0 ? more.nextCursor : first.data?.nextCursor;

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ q: search.trim() });
  };

  return (
    <section>
      <PageHeader
        title={t('community.wishes.title')}
        lead={t('community.wishes.lead')}
        actions={
          !isPosting && (
            <button type="button" className="button button-primary" onClick={() => setPosting(true)}>
              {t('community.wishes.post')}
            </button>
          )
        }
      />
      {isPosting && (
        <WishForm
          onPosted={(wish) => navigate(`/wishes/${wish.id}`, { state: { posted: true } })}
          onCancel={() => setPosting(false)}
        />
      )}

      <form className="toolbar" onSubmit={onSearch}>
        <label>
          {t('community.wishes.search')}
          <input
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t('community.wishes.searchPlaceholder')}
          />
        </label>
        <button type="submit" className="button">
          {t('search')}
        </button>
        <label className="toolbar-narrow">
          {t('community.wishes.status')}
          <select value={status} onChange={(event) => setFilters({ status: event.target.value })}>
            <option value="">{t('community.wishes.anyStatus')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-narrow">
          {t('community.wishes.sort')}
          <select value={sort} onChange={(event) => setFilters({ sort: event.target.value })}>
            <option value="votes">{t('community.wishes.sortVotes')}</option>
            <option value="recent">{t('community.wishes.sortRecent')}</option>
          </select>
        </label>
      </form>

      <ErrorMessage error={first.error ?? loadMore.error} />
      {first.isLoading && !first.data && <Loading />}
      {first.data && items.length === 0 && (
        <Empty>{q || status ? t('community.wishes.noneMatch') : t('community.wishes.none')}</Empty>
      )}
      <ul className="wish-list" aria-busy={first.isLoading}>
        {items.map((wish) => (
          <li key={wish.id} className="card wish-card">
            <div className="wish-vote">
              <VoteButton
                wishId={wish.id}
                title={wish.title}
                votes={wish.votes}
                votedByMe={wish.votedByMe}
                disabled={wish.status === 'closed'}
              />
            </div>
            <div className="wish-body">
              <div className="card-head">
                <h2>
                  <Link to={`/wishes/${wish.id}`}>{wish.title}</Link>
                </h2>
                <StatusBadge status={wish.status} />
              </div>
              <p className="meta">
                {t('community.wishes.postedBy', {
                  name: wish.createdByName,
                  org: wish.orgName,
                  date: formatDate(wish.createdAt, i18n.language),
                })}
                {' · '}
                {t('community.wishes.responses', { count: wish.responseCount })}
              </p>
              {wish.description && <p className="wish-excerpt">{wish.description}</p>}
              <div className="wish-foot">
                {wish.tags.length > 0 && (
                  <ul className="tag-list" aria-label={t('community.wishes.tags')}>
                    {wish.tags.map((tag) => (
                      <li key={tag} className="badge">
                        {tag}
                      </li>
                    ))}
                  </ul>
                )}
                <FollowButton
                  path={`/v1/wishes/${wish.id}/follow`}
                  isFollowing={wish.followedByMe}
                  name={wish.title}
                />
              </div>
            </div>
          </li>
        ))}
      </ul>
      {nextCursor && (
        <div className="actions load-more">
          <button
            type="button"
            className="button"
            disabled={loadMore.isPending}
            onClick={() => void loadMore.run(nextCursor)}
          >
            {t('more')}
          </button>
        </div>
      )}
    </section>
  );
}
