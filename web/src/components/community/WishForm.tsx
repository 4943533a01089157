import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage } from '../Feedback';
import { parseTags } from './logic';
import type { Wish } from './types';

/** Ask the community for data that does not exist yet: title, what for, and a few tags. */
export function WishForm({ onPosted, onCancel }: { onPosted: (wish: Wish) => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const submit = useAction(async () => {
    const wish = await post<Wish>('/v1/wishes', {
      title: title.trim(),
      description: description.trim(),
      tags: parseTags(tags),
    });
    onPosted(wish);
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };
  const tagList = parseTags(tags);
  return (
    <form className="form panel wish-form" onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('community.wishForm.title')}</h2>
      <label>
        {t('community.wishForm.wishTitle')}
        <input
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          required
          minLength={3}
          maxLength={200}
          placeholder={t('community.wishForm.wishTitlePlaceholder')}
        />
      </label>
      <div className="field">
        <label>
          {t('community.wishForm.description')}
          <textarea
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            rows={5}
            maxLength={5000}
            required
            aria-describedby={`${id}-description-hint`}
          />
        </label>
        <span id={`${id}-description-hint`} className="hint">
          {t('community.wishForm.descriptionHint')}
        </span>
      </div>
      <div className="field">
        <label>
          {t('community.wishForm.tags')}
          <input
            value={tags}
            onChange={(event) => setTags(event.target.value)}
            aria-describedby={`${id}-tags-hint`}
            placeholder={t('community.wishForm.tagsPlaceholder')}
          />
        </label>
        <span id={`${id}-tags-hint`} className="hint">
          {t('community.wishForm.tagsHint')}
          {tagList.length > 0 && ` ${t('community.wishForm.tagsPreview', { tags: tagList.join(', ') })}`}
        </span>
      </div>
      <ErrorMessage error={submit.error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={submit.isPending}>
          {submit.isPending ? t('community.wishForm.posting') : t('community.wishForm.submit')}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
