import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, put } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage } from '../Feedback';

/** A vote for a wish, toggled: one per person; the count is the platform's answer. */
export function VoteButton({
  wishId,
  title,
  votes,
  votedByMe,
  disabled = false,
}: {
  wishId: string;
  title: string;
  votes: number;
  votedByMe: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState({ votes, votedByMe });
  const toggle = useAction(async () => {
    const path = `/v1/wishes/${encodeURIComponent(wishId)}/vote`;
    const answer = state.votedByMe
      ? await del<{ votes: number; votedByMe: boolean }>(path)
      : await put<{ votes: number; votedByMe: boolean }>(path);
    setState(answer);
  });
  return (
    <>
      <button
        type="button"
        className={`button button-small vote-button${state.votedByMe ? ' is-voted' : ''}`}
        aria-pressed={state.votedByMe}
        disabled={toggle.isPending || (disabled && !state.votedByMe)}
        onClick={() => void toggle.run()}
      >
        <span aria-hidden="true">▲</span>
        {t('community.wishes.vote')}
        <span className="visually-hidden"> {title}</span>
        <span className="vote-count" data-testid={`votes-${wishId}`}>
          {t('community.wishes.votes', { count: state.votes })}
        </span>
      </button>
      <ErrorMessage error={toggle.error} />
    </>
  );
}
