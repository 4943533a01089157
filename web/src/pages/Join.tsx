import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { post } from '../api';
import { locations } from '../components/data/types';
import { ErrorMessage, Notice } from '../components/Feedback';
import { useAction } from '../hooks';
import { LanguageSwitch } from '../Layout';
import type { OrgKind } from '../session';

/** What an applicant may choose; regulators (and operators) are created by an operator. */
const kinds: OrgKind[] = ['provider', 'consumer'];

/** Onboarding: an organisation applies to join; an operator approves it (Applications page). */
export function Join() {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    name: '',
    sector: '',
    description: '',
    website: '',
    declaredLocation: 'hong-kong',
    kinds: ['consumer'] as OrgKind[],
    ownerName: '',
    email: '',
    password: '',
  });
  const [applied, setApplied] = useState<string>();
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));
  const toggleKind = (kind: OrgKind) =>
    setForm((f) => ({
      ...f,
      kinds: f.kinds.includes(kind) ? f.kinds.filter((k) => k !== kind) : [...f.kinds, kind],
    }));

  const action = useAction(async () => {
    const result = await post<{ organisation: { name: string } }>('/v1/auth/register', {
      organisation: {
        name: form.name,
        kinds: form.kinds,
        declaredLocation: form.declaredLocation,
        ...(form.sector && { sector: form.sector }),
        ...(form.description && { description: form.description }),
        ...(form.website && { website: form.website }),
      },
      owner: { email: form.email, name: form.ownerName, password: form.password },
    });
    setApplied(result.organisation.name);
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run();
  };

  return (
    <div className="auth-page">
      <div className="auth-card auth-card-wide">
        <div className="auth-top">
          <span className="brand-mark" aria-hidden="true">
            STP
          </span>
          <LanguageSwitch />
        </div>
        <h1>{t('join.title')}</h1>
        <p className="lead">{t('join.lead')}</p>
        {applied ? (
          <Notice kind="success">
            {t('join.applied', { name: applied })} <Link to="/signin">{t('signIn.submit')}</Link>
          </Notice>
        ) : (
          <form onSubmit={submit} className="form">
            <fieldset>
              <legend>{t('join.organisation')}</legend>
              <label>
                {t('join.name')}
                <input required minLength={2} maxLength={200} value={form.name} onChange={set('name')} />
              </label>
              <fieldset className="checks">
                <legend>{t('join.kinds')}</legend>
                {kinds.map((kind) => (
                  <label key={kind} className="check">
                    <input
                      type="checkbox"
                      checked={form.kinds.includes(kind)}
                      onChange={() => toggleKind(kind)}
                    />
                    {t(`kind.${kind}`)}
                  </label>
                ))}
                <p className="hint">{t('portal.join.regulatorHint')}</p>
              </fieldset>
              <div className="grid-2">
                <label>
                  {t('join.sector')}
                  <input maxLength={200} value={form.sector} onChange={set('sector')} />
                </label>
                <label>
                  {t('join.location')}
                  <select value={form.declaredLocation} onChange={set('declaredLocation')}>
                    {locations.map((location) => (
                      <option key={location} value={location}>
                        {t(`location.${location}`)}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <label>
                {t('join.website')}
                <input type="url" placeholder="https://" value={form.website} onChange={set('website')} />
              </label>
              <label>
                {t('join.description')}
                <textarea rows={3} maxLength={4000} value={form.description} onChange={set('description')} />
              </label>
            </fieldset>
            <fieldset>
              <legend>{t('join.owner')}</legend>
              <label>
                {t('join.ownerName')}
                <input required value={form.ownerName} onChange={set('ownerName')} autoComplete="name" />
              </label>
              <label>
                {t('signIn.email')}
                <input
                  type="email"
                  required
                  value={form.email}
                  onChange={set('email')}
                  autoComplete="email"
                />
              </label>
              <label>
                {t('signIn.password')}
                <input
                  type="password"
                  required
                  minLength={12}
                  value={form.password}
                  onChange={set('password')}
                  autoComplete="new-password"
                  aria-describedby="password-hint"
                />
                <span id="password-hint" className="hint">
                  {t('join.passwordHint')}
                </span>
              </label>
            </fieldset>
            <ErrorMessage error={action.error} />
            <button
              type="submit"
              className="button button-primary"
              disabled={action.isPending || form.kinds.length === 0}
            >
              {t('join.submit')}
            </button>
          </form>
        )}
        <p className="auth-foot">
          <Link to="/signin">{t('join.haveAccount')}</Link>
        </p>
      </div>
    </div>
  );
}
