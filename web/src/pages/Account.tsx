import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../api';
import { ErrorMessage, Notice, PageHeader } from '../components/Feedback';
import { useAction } from '../hooks';
import { type Me, useSession } from '../session';

/** The signed-in person's own page: who they are, where they belong, their name and password. */
export function Account() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <section>
      <PageHeader title={t('account.title')} lead={t('account.lead')} />
      <div className="grid-2">
        <ProfileForm me={me} />
        <PasswordForm />
      </div>
      <section className="panel" aria-labelledby="account-memberships">
        <h2 id="account-memberships">{t('account.memberships')}</h2>
        <ul className="plain-list">
          {me.memberships.map((membership) => (
            <li key={membership.organisation.id}>
              <strong>{membership.organisation.name}</strong> · {t(`role.${membership.role}`)}
              {membership.organisation.id === me.organisation.id && (
                <span className="badge"> {t('account.current')}</span>
              )}
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}

export function ProfileForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [name, setName] = useState(me.user.name);
  const [isSaved, setSaved] = useState(false);
  const save = useAction(async () => {
    setSaved(false);
    await patch<Me>('/v1/me', { name });
    await refresh();
    setSaved(true);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <section className="panel" aria-labelledby="account-profile">
      <h2 id="account-profile">{t('account.profile')}</h2>
      <dl>
        <dt>{t('account.email')}</dt>
        <dd>{me.user.email}</dd>
        <dt>{t('account.organisation')}</dt>
        <dd>
          {me.organisation.name} · {t(`role.${me.role}`)}
        </dd>
      </dl>
      <form className="form" onSubmit={submit}>
        <label>
          {t('account.name')}
          <input
            required
            maxLength={200}
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <ErrorMessage error={save.error} />
        {isSaved && <Notice kind="success">{t('account.nameSaved')}</Notice>}
        <button type="submit" className="button button-primary" disabled={save.isPending || !name.trim()}>
          {t('account.saveName')}
        </button>
      </form>
    </section>
  );
}

export function PasswordForm() {
  const { t } = useTranslation();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeated, setRepeated] = useState('');
  const [ended, setEnded] = useState<number>();
  const isMismatch = repeated !== '' && repeated !== newPassword;
  const change = useAction(async () => {
    setEnded(undefined);
    const result = await post<{ sessionsEnded: number }>('/v1/me/password', { currentPassword, newPassword });
    setCurrent('');
    setNew('');
    setRepeated('');
    setEnded(result.sessionsEnded);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isMismatch) void change.run();
  };
  return (
    <section className="panel" aria-labelledby="account-password">
      <h2 id="account-password">{t('account.passwordTitle')}</h2>
      <p className="hint">{t('account.passwordLead')}</p>
      <form className="form" onSubmit={submit}>
        <label>
          {t('account.currentPassword')}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrent(event.target.value)}
          />
        </label>
        <NewPasswordFields
          password={newPassword}
          repeated={repeated}
          onPassword={setNew}
          onRepeated={setRepeated}
        />
        <ErrorMessage error={change.error} />
        {ended !== undefined && (
          <Notice kind="success">{t('account.passwordChanged', { count: ended })}</Notice>
        )}
        <button type="submit" className="button button-primary" disabled={change.isPending || isMismatch}>
          {t('account.changePassword')}
        </button>
      </form>
    </section>
  );
}

/** A new password typed twice, with the policy in words and a mismatch said at once. */
export function NewPasswordFields({
  password,
  repeated,
  onPassword,
  onRepeated,
}: {
  password: string;
  repeated: string;
  onPassword: (value: string) => void;
  onRepeated: (value: string) => void;
}) {
  const { t } = useTranslation();
  const isMismatch = repeated !== '' && repeated !== password;
  return (
    <>
      <label>
        {t('account.newPassword')}
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          aria-describedby="password-policy"
          value={password}
          onChange={(event) => onPassword(event.target.value)}
        />
      </label>
      <p id="password-policy" className="hint">
        {t('account.policy')}
      </p>
      <label>
        {t('account.repeatPassword')}
        <input
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={isMismatch}
          value={repeated}
          onChange={(event) => onRepeated(event.target.value)}
        />
      </label>
      {isMismatch && (
        <p className="field-error" role="alert">
          {t('account.mismatch')}
        </p>
      )}
    </>
  );
}
