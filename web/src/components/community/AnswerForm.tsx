import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api';
import { useAction, useLoad } from '../../hooks';
import { Empty, ErrorMessage, Loading } from '../Feedback';
import type { WishResponse } from './types';

interface Offer {
  type: 'dataset' | 'api';
  id: string;
  name: string;
}

/** What an organisation can link to a wish: its published datasets and its public APIs. */
async function loadOffers(orgId: string): Promise<Offer[]> {
  const [datasets, apis] = await Promise.all([
    get<{ items: { id: string; orgId: string; title: string; status: string }[] }>('/v1/datasets', {
      orgId,
      limit: 200,
    }),
    get<{ items: { id: string; orgId: string; title: string; visibility: string }[] }>('/v1/apis', {
      orgId,
      limit: 200,
    }),
  ]);
  return [
    ...datasets.items
      .filter((d) => d.orgId === orgId && d.status === 'published')
      .map((d) => ({ type: 'dataset' as const, id: d.id, name: d.title })),
    ...apis.items
      .filter((a) => a.orgId === orgId && a.visibility === 'public')
      .map((a) => ({ type: 'api' as const, id: a.id, name: a.title })),
  ];
}

/** A provider answers a wish by linking one of its own published datasets or public APIs. */
export function AnswerForm({
  wishId,
  orgId,
  linkedIds,
  onAnswered,
}: {
  wishId: string;
  orgId: string;
  /** Targets already linked to this wish (by anyone); they are left out. */
  linkedIds: string[];
  onAnswered: (response: WishResponse) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const offers = useLoad(() => loadOffers(orgId), [orgId]);
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState('');
  const submit = useAction(async () => {
    const [type, targetId] = target.split(':');
    const response = await post<WishResponse>(`/v1/wishes/${encodeURIComponent(wishId)}/responses`, {
      message: message.trim(),
      ...(type === 'api' ? { apiId: targetId } : { datasetId: targetId }),
    });
    setTarget('');
    setMessage('');
    onAnswered(response);
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };
  const available = (offers.data ?? []).filter((offer) => !linkedIds.includes(offer.id));
  const datasets = available.filter((offer) => offer.type === 'dataset');
  const apis = available.filter((offer) => offer.type === 'api');

  return (
    <form className="form panel answer-form" onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('community.answer.title')}</h2>
      <p className="hint">{t('community.answer.lead')}</p>
      <ErrorMessage error={offers.error} />
      {offers.isLoading && !offers.data && <Loading />}
      {offers.data && available.length === 0 && <Empty>{t('community.answer.nothing')}</Empty>}
      {available.length > 0 && (
        <>
          <label>
            {t('community.answer.target')}
            <select value={target} onChange={(event) => setTarget(event.target.value)} required>
              <option value="">{t('community.answer.choose')}</option>
              {datasets.length > 0 && (
                <optgroup label={t('community.answer.datasets')}>
                  {datasets.map((offer) => (
                    <option key={offer.id} value={`dataset:${offer.id}`}>
                      {offer.name}
                    </option>
                  ))}
                </optgroup>
              )}
              {apis.length > 0 && (
                <optgroup label={t('community.answer.apis')}>
                  {apis.map((offer) => (
                    <option key={offer.id} value={`api:${offer.id}`}>
                      {offer.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
          <label>
            {t('community.answer.message')}
            <textarea
              value={message}
              onChange={(event) => setMessage(event.target.value)}
              rows={3}
              maxLength={2000}
              required
              placeholder={t('community.answer.messagePlaceholder')}
            />
          </label>
          <ErrorMessage error={submit.error} />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={submit.isPending}>
              {submit.isPending ? t('community.answer.sending') : t('community.answer.submit')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
