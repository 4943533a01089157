import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, put } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage } from '../Feedback';

/**
 * Follows or unfollows something (an organisation, a wish): `path` is its `…/follow` resource,
 * PUT to follow and DELETE to stop. The button names what it follows for screen readers.
 */
export function FollowButton({
  path,
  isFollowing,
  name,
  onChange,
  small = true,
}: {
  path: string;
  isFollowing: boolean;
  name: string;
  onChange?: (isFollowing: boolean) => void;
  small?: boolean;
}) {
  const { t } = useTranslation();
  const [following, setFollowing] = useState(isFollowing);
  const toggle = useAction(async () => {
    const answer = following
      ? await del<{ followedByMe: boolean }>(path)
      : await put<{ followedByMe: boolean }>(path);
    setFollowing(answer.followedByMe);
    onChange?.(answer.followedByMe);
  });
  return (
    <>
      <button
        type="button"
        className={`button${small ? ' button-small' : ''}${following ? ' is-following' : ''}`}
        disabled={toggle.isPending}
        onClick={() => void toggle.run()}
      >
        {following ? t('community.follow.unfollow') : t('community.follow.follow')}
        <span className="visually-hidden"> {name}</span>
      </button>
      <ErrorMessage error={toggle.error} />
    </>
  );
}
