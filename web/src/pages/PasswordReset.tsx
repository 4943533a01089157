import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { post } from '../api';
import { ErrorMessage, Notice } from '../components/Feedback';
import { useAction } from '../hooks';
import { LanguageSwitch } from '../Layout';
import { NewPasswordFields } from './Account';

function AuthCard({ title, lead, children }: { title: string; lead: string; children: ReactNode }) {
  return (
    <div className="auth-page">
      <div className="auth-card">
        <div className="auth-top">
          <span className="brand-mark" aria-hidden="true">
            STP
          </span>
          <LanguageSwitch />
        </div>
        <h1>{title}</h1>
        <p className="lead">{lead}</p>
        {children}
      </div>
    </div>
  );
}

/**
 * Asks for a reset link. The answer is the same whether or not an account has the address, so
 * the page says the same thing either way.
 */
export function ForgotPassword() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [isSent, setSent] = useState(false);
  const request = useAction(async () => {
    await post('/v1/auth/password-reset', { email });
    setSent(true);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void request.run();
  };
  return (
    <AuthCard title={t('passwordReset.forgotTitle')} lead={t('passwordReset.forgotLead')}>
      {isSent ? (
        <Notice kind="success">{t('passwordReset.sent', { email })}</Notice>
      ) : (
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
          <ErrorMessage error={request.error} />
          <button type="submit" className="button button-primary" disabled={request.isPending}>
            {t('passwordReset.send')}
          </button>
        </form>
      )}
      <p className="auth-foot">
        <Link to="/signin">{t('passwordReset.backToSignIn')}</Link>
      </p>
    </AuthCard>
  );
}

/** The link's token travels in the fragment (`#token=…`), which browsers never send to a server. */
export function tokenFromHash(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? undefined;
}

/** Where a reset link lands: a new password for the account the link was mailed to. */
export function ResetPassword() {
  const { t } = useTranslation();
  const [token] = useState(() => tokenFromHash(window.location.hash));
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [isDone, setDone] = useState(false);
  const isMismatch = repeated !== '' && repeated !== password;
  const reset = useAction(async () => {
    await post('/v1/auth/password-reset/confirm', { token, password });
    setDone(true);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isMismatch) void reset.run();
  };
  return (
    <AuthCard title={t('passwordReset.resetTitle')} lead={t('passwordReset.resetLead')}>
      {!token ? (
        <Notice kind="warning">
          {t('passwordReset.noToken')} <Link to="/forgot-password">{t('passwordReset.askAgain')}</Link>
        </Notice>
      ) : isDone ? (
        <Notice kind="success">
          {t('passwordReset.done')} <Link to="/signin">{t('signIn.submit')}</Link>
        </Notice>
      ) : (
        <form onSubmit={submit} className="form">
          <NewPasswordFields
            password={password}
            repeated={repeated}
            onPassword={setPassword}
            onRepeated={setRepeated}
          />
          <ErrorMessage error={reset.error} />
          <button type="submit" className="button button-primary" disabled={reset.isPending || isMismatch}>
            {t('passwordReset.submit')}
          </button>
        </form>
      )}
      <p className="auth-foot">
        <Link to="/forgot-password">{t('passwordReset.askAgain')}</Link>
      </p>
    </AuthCard>
  );
}
