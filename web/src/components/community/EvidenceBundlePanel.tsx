import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveFile } from '../../api';
import { useAction } from '../../hooks';
import { ErrorMessage, Notice } from '../Feedback';

interface Exported {
  bundleId: string;
  count: number;
  fileName: string;
}

/** A date typed in the form (the user's day) as the start or end of that day, in RFC 3339. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A signed evidence bundle of a scope (an organisation, a time range) for a regulator or operator
 * to keep: downloaded as JSON Lines, with the platform's public key beside it and the command that
 * verifies both offline.
 */
export function EvidenceBundlePanel({ organisations }: { organisations: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [exported, setExported] = useState<Exported>();
  const exportBundle = useAction(async () => {
    setExported(undefined);
    const scope = {
      ...(orgId ? { orgId } : {}),
      ...(dayBound(since, false) ? { since: dayBound(since, false) } : {}),
      ...(dayBound(until, true) ? { until: dayBound(until, true) } : {}),
    };
    const saved = await saveFile('POST', '/v1/regulator/evidence-bundles', {
      body: { scope },
      accept: 'application/x-ndjson, application/json',
      fileName: (headers) => `${headers.get('stp-bundle-id') ?? 'evidence-bundle'}.jsonl`,
    });
    const bundleId = saved.headers.get('stp-bundle-id') ?? 'evidence-bundle';
    const count = Number(saved.headers.get('stp-bundle-count') ?? 0);
    const fileName = saved.fileName;
    setExported({ bundleId, count, fileName });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void exportBundle.run();
  };
  return (
    <section className="panel" aria-labelledby="bundle-heading">
      <h2 id="bundle-heading">{t('community.bundle.title')}</h2>
      <p className="meta">{t('community.bundle.lead')}</p>
      <form className="toolbar" onSubmit={submit}>
        <label>
          {t('community.bundle.organisation')}
          <select value={orgId} onChange={(event) => setOrgId(event.target.value)}>
            <option value="">{t('community.bundle.everyOrg')}</option>
            {organisations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('community.bundle.since')}
          <input type="date" value={since} onChange={(event) => setSince(event.target.value)} />
        </label>
        <label>
          {t('community.bundle.until')}
          <input type="date" value={until} onChange={(event) => setUntil(event.target.value)} />
        </label>
        <button type="submit" className="button button-primary" disabled={exportBundle.isPending}>
          {t('community.bundle.export')}
        </button>
      </form>
      <ErrorMessage error={exportBundle.error} />
      {exported && (
        <Notice kind="success">
          {t('community.bundle.exported', { count: exported.count, file: exported.fileName })}
        </Notice>
      )}
      <h3>{t('community.bundle.verifyTitle')}</h3>
      <ol className="bundle-steps">
        <li>
          {t('community.bundle.step1')}{' '}
          <a href="/v1/audit/public-key" download="stp-public-key.json">
            {t('community.bundle.publicKey')}
          </a>
        </li>
        <li>
          {t('community.bundle.step2')}
          <pre>
            <code>
              stp audit verify --file {exported?.fileName ?? 'evb_….jsonl'} --public-key stp-public-key.json
            </code>
          </pre>
        </li>
        <li>{t('community.bundle.step3')}</li>
      </ol>
    </section>
  );
}
