import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ErrorMessage } from '../components/Feedback';
import { useAction } from '../hooks';
import { LanguageSwitch } from '../Layout';
import { useSession } from '../session';

/** Only same-origin paths are followed after sign-in (no open redirect through `?next=`). */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function SignIn() {
  const { t } = useTranslation();
  const { me, signIn } = useSession();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(signIn);

  if (me) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(email, password);
  };

  return (
    <div className="auth-page">
      <div className="auth-card">
        <div className="auth-top">
          <span className="brand-mark" aria-hidden="true">
            STP
          </span>
          <LanguageSwitch />
        </div>
        <h1>{t('signIn.title')}</h1>
        <p className="lead">{t('signIn.lead')}</p>
        <form onSubmit={submit} className="form">
          <label>
            {t('signIn.email')}
            <input
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <label>
            {t('signIn.password')}
            <input
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          <ErrorMessage error={action.error} />
          <button type="submit" className="button button-primary" disabled={action.isPending}>
            {action.isPending ? t('signIn.signingIn') : t('signIn.submit')}
          </button>
        </form>
        <p className="auth-foot">
          <Link to="/forgot-password">{t('signIn.forgot')}</Link>
        </p>
        <p className="auth-foot">
          {t('signIn.newHere')} <Link to="/join">{t('signIn.join')}</Link>
        </p>
      </div>
    </div>
  );
}
