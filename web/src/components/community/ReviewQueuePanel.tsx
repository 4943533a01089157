import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post } from '../../api';
import { useAction, useLoad } from '../../hooks';
import { Empty, ErrorMessage, Loading } from '../Feedback';
import { formatDate, formatDateTime } from './logic';
import type { QueuedAgreement, QueuedTransfer, ReviewQueue } from './types';

function AgreementReview({ agreement, onDecided }: { agreement: QueuedAgreement; onDecided: () => void }) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const decide = useAction(async (decision: 'endorse' | 'object') => {
    await post('/v1/regulator/reviews', {
      objectType: 'agreement',
      objectId: agreement.id,
      decision,
      reason: reason.trim(),
    });
    setReason('');
    onDecided();
  });
  const review = agreement.latestReview;
  const name = (party: { id: string; name: string | null }) => party.name ?? party.id;
  return (
    <li className="card queue-card">
      <div className="card-head">
        <h3>
          <Link to={`/datasets/${agreement.dataset.id}`}>{agreement.dataset.title}</Link>
        </h3>
        {review && (
          <span className={`badge badge-review-${review.decision}`}>
            {t(`community.queue.reviewed.${review.decision}`)}
          </span>
        )}
      </div>
      <p className="meta">
        {t('community.queue.parties', {
          provider: name(agreement.provider),
          consumer: name(agreement.consumer),
        })}
      </p>
      <dl className="facts">
        <div>
          <dt>{t('community.queue.purpose')}</dt>
          <dd>
            {agreement.purpose}
            {agreement.purposeText && ` — ${agreement.purposeText}`}
          </dd>
        </div>
        <div>
          <dt>{t('community.queue.actions')}</dt>
          <dd>{agreement.actions.join(', ')}</dd>
        </div>
        <div>
          <dt>{t('community.queue.sensitive')}</dt>
          <dd>
            {agreement.sensitiveColumns.map((column) => (
              <span key={column} className="badge badge-sensitive">
                {column}
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>{t('community.queue.masks')}</dt>
          <dd>
            {Object.keys(agreement.masks).length === 0
              ? t('community.queue.noMasks')
              : Object.keys(agreement.masks).join(', ')}
            {agreement.aggregateOnly && ` · ${t('community.queue.aggregateOnly')}`}
          </dd>
        </div>
        <div>
          <dt>{t('community.queue.expires')}</dt>
          <dd>{formatDate(agreement.expiresAt, i18n.language)}</dd>
        </div>
      </dl>
      {review && (
        <p className="meta">
          {t('community.queue.lastReview', {
            date: formatDateTime(review.createdAt, i18n.language),
            reason: review.reason,
          })}
        </p>
      )}
      <ErrorMessage error={decide.error} />
      <ReasonedDecision
        reason={reason}
        onReason={setReason}
        isPending={decide.isPending}
        yes={{ label: t('community.queue.endorse'), onDecide: () => void decide.run('endorse') }}
        no={{ label: t('community.queue.object'), onDecide: () => void decide.run('object') }}
      />
    </li>
  );
}

function TransferReview({ transfer, onDecided }: { transfer: QueuedTransfer; onDecided: () => void }) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const decide = useAction(async (decision: 'start' | 'approve' | 'reject') => {
    const path = `/v1/transfers/${encodeURIComponent(transfer.id)}/review/${decision}`;
    await post(path, decision === 'start' ? {} : { reason: reason.trim() });
    setReason('');
    onDecided();
  });
  const name = (party: { id: string; name: string | null }) => party.name ?? party.id;
  return (
    <li className="card queue-card">
      <div className="card-head">
        <h3>
          {name(transfer.provider)} ({t(`location.${transfer.provider.location}`)}) →{' '}
          {name(transfer.recipient)} ({t(`location.${transfer.recipient.location}`)})
        </h3>
        <span className={`badge badge-${transfer.state}`}>
          {t(`community.transfers.states.${transfer.state}`)}
        </span>
      </div>
      <p className="meta">
        <code className="id">{transfer.id}</code> ·{' '}
        {t('community.queue.updated', { date: formatDateTime(transfer.updatedAt, i18n.language) })}
      </p>
      <dl className="facts">
        <div>
          <dt>{t('community.transfers.data')}</dt>
          <dd>
            {transfer.dataCategories.join(', ')} · {transfer.volume}
          </dd>
        </div>
        <div>
          <dt>{t('community.queue.purpose')}</dt>
          <dd>{transfer.purpose}</dd>
        </div>
      </dl>
      <ErrorMessage error={decide.error} />
      {transfer.state === 'submitted' ? (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={decide.isPending}
            onClick={() => void decide.run('start')}
          >
            {t('community.queue.startReview')}
          </button>
        </div>
      ) : (
        <ReasonedDecision
          reason={reason}
          onReason={setReason}
          isPending={decide.isPending}
          yes={{ label: t('community.queue.approve'), onDecide: () => void decide.run('approve') }}
          no={{ label: t('community.queue.reject'), onDecide: () => void decide.run('reject') }}
        />
      )}
    </li>
  );
}

/** What needs a regulator's eye: agreements over sensitive columns, and transfers awaiting a decision. */
export function ReviewQueuePanel() {
  const { t } = useTranslation();
  const [include, setInclude] = useState<'pending' | 'all'>('pending');
  const queue = useLoad(() => get<ReviewQueue>('/v1/regulator/queue', { include }), [include]);
  return (
    <div>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={include === 'all'}
            onChange={(event) => setInclude(event.target.checked ? 'all' : 'pending')}
          />
          {t('community.queue.includeReviewed')}
        </label>
      </div>
      <ErrorMessage error={queue.error} />
      {queue.isLoading && !queue.data && <Loading />}
      {queue.data && (
        <>
          <h2>{t('community.queue.agreementsTitle', { count: queue.data.agreements.length })}</h2>
          <p className="hint">{t('community.queue.agreementsLead')}</p>
          {queue.data.agreements.length === 0 && <Empty>{t('community.queue.noAgreements')}</Empty>}
          <ul className="cards queue-cards">
            {queue.data.agreements.map((agreement) => (
              <AgreementReview key={agreement.id} agreement={agreement} onDecided={queue.reload} />
            ))}
          </ul>
          <h2>{t('community.queue.transfersTitle', { count: queue.data.transfers.length })}</h2>
          {queue.data.transfers.length === 0 && <Empty>{t('community.queue.noTransfers')}</Empty>}
          <ul className="cards queue-cards">
            {queue.data.transfers.map((transfer) => (
              <TransferReview key={transfer.id} transfer={transfer} onDecided={queue.reload} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

interface DecisionButton {
  label: string;
  onDecide: () => void;
}

/** A decision a regulator must give a reason for: the reason, then the two ways to decide. */
function ReasonedDecision({
  reason,
  onReason,
  isPending,
  yes,
  no,
}: {
  reason: string;
  onReason: (reason: string) => void;
  isPending: boolean;
  yes: DecisionButton;
  no: DecisionButton;
}) {
  const { t } = useTranslation();
  const isDisabled = isPending || !reason.trim();
  return (
    <>
      <label>
        {t('community.queue.reason')}
        <textarea
          value={reason}
          rows={2}
          maxLength={2000}
          onChange={(event) => onReason(event.target.value)}
        />
      </label>
      <div className="actions">
        <button type="button" className="button button-primary" disabled={isDisabled} onClick={yes.onDecide}>
          {yes.label}
        </button>
        <button type="button" className="button button-danger" disabled={isDisabled} onClick={no.onDecide}>
          {no.label}
        </button>
      </div>
    </>
  );
}
