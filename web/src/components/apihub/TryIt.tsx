import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fillPath, type OperationModel } from './openapi';

export interface TryItResult {
  status: number;
  statusText: string;
  latencyMs: number;
  headers: [string, string][];
  body: string;
  url: string;
}

/** The call a try-it form makes: gateway path with path and query parameters filled in. */
export function tryItUrl(gatewayBase: string, operation: OperationModel, values: Record<string, string>) {
  const query = new URLSearchParams();
  for (const p of operation.parameters) {
    const value = values[`query:${p.name}`];
    if (p.in === 'query' && value !== undefined && value !== '') query.set(p.name, value);
  }
  const pathValues: Record<string, string> = {};
  for (const p of operation.parameters) {
    if (p.in === 'path') pathValues[p.name] = values[`path:${p.name}`] ?? '';
  }
  const search = query.toString();
  return `${gatewayBase}${fillPath(operation.path, pathValues)}${search ? `?${search}` : ''}`;
}

function prettyBody(text: string, contentType: string | null): string {
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  }
  return text;
}

const statusClass = (status: number) =>
  status >= 500 ? 'status-5xx' : status >= 400 ? 'status-4xx' : status >= 300 ? 'status-3xx' : 'status-2xx';

/**
 * Calls one operation through the gateway (`/gw/{slug}/…`) with the caller's API key in
 * `x-api-key`, exactly as an application would, and shows the answer: status, latency, headers
 * and body. The key lives only in the page's memory; the session cookie is not sent.
 */
export function TryIt({
  operation,
  gatewayBase,
  apiKey,
}: {
  operation: OperationModel;
  gatewayBase: string;
  apiKey: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const fields = operation.parameters.filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((p) => [`${p.in}:${p.name}`, p.in === 'path' ? (p.example ?? '') : ''])),
  );
  const [body, setBody] = useState(operation.requestBody?.example ?? '');
  const [result, setResult] = useState<TryItResult>();
  const [failure, setFailure] = useState<string>();
  const [isSending, setSending] = useState(false);
  const hasBody = operation.requestBody !== null && !['GET', 'HEAD'].includes(operation.method);
  const missing = operation.parameters.filter(
    (p) => p.in === 'path' && !(values[`path:${p.name}`] ?? '').trim(),
  );
  const url = tryItUrl(gatewayBase, operation, values);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setFailure(undefined);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (apiKey.trim()) headers['x-api-key'] = apiKey.trim();
    for (const p of fields) {
      const value = values[`header:${p.name}`];
      if (p.in === 'header' && value) headers[p.name] = value;
    }
    if (hasBody && body.trim())
      headers['content-type'] = operation.requestBody?.contentType ?? 'application/json';
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: operation.method,
        headers,
        body: hasBody && body.trim() ? body : undefined,
        credentials: 'omit',
      });
      const text = await response.text();
      const latencyMs = Math.round(performance.now() - started);
      setResult({
        status: response.status,
        statusText: response.statusText,
        latencyMs,
        headers: [...response.headers.entries()],
        body: prettyBody(text, response.headers.get('content-type')),
        url,
      });
    } catch (error) {
      setResult(undefined);
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="try-it form"
      onSubmit={send}
      aria-label={t('apihub.tryIt.label', { operation: operation.key })}
    >
      {fields.length > 0 && (
        <div className="try-it-fields">
          {fields.map((p) => {
            const key = `${p.in}:${p.name}`;
            return (
              <label key={key}>
                <span>
                  <code>{p.name}</code> <span className="hint">{t(`apihub.reference.in.${p.in}`)}</span>
                  {p.required && <span className="hint"> · {t('apihub.reference.required')}</span>}
                </span>
                <input
                  value={values[key] ?? ''}
                  placeholder={p.example ?? p.type}
                  required={p.required}
                  onChange={(event) => setValues((v) => ({ ...v, [key]: event.target.value }))}
                />
              </label>
            );
          })}
        </div>
      )}
      {hasBody && (
        <label>
          {t('apihub.tryIt.body', { type: operation.requestBody?.contentType })}
          <textarea
            className="mono"
            rows={6}
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
        </label>
      )}
      <p className="try-it-url">
        <span className={`method method-${operation.method.toLowerCase()}`}>{operation.method}</span>{' '}
        <code>{url}</code>
      </p>
      {!apiKey.trim() && <p className="hint">{t('apihub.tryIt.noKey')}</p>}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={isSending || missing.length > 0}>
          {isSending ? t('apihub.tryIt.sending') : t('apihub.tryIt.send')}
        </button>
      </div>
      {failure && (
        <div className="alert alert-error" role="alert">
          {t('apihub.tryIt.networkError', { detail: failure })}
        </div>
      )}
      {result && (
        <section className="try-it-result" aria-live="polite" aria-labelledby={`${id}-result`}>
          <p id={`${id}-result`} className="try-it-status">
            <span className={`badge ${statusClass(result.status)}`} data-testid="try-it-status">
              {result.status} {result.statusText}
            </span>
            <span className="meta">{t('apihub.tryIt.latency', { ms: result.latencyMs })}</span>
          </p>
          <details>
            <summary className="try-it-headers-toggle">
              {t('apihub.tryIt.headers', { count: result.headers.length })}
            </summary>
            <dl className="header-list">
              {result.headers.map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd className="mono">{value}</dd>
                </div>
              ))}
            </dl>
          </details>
          {result.body ? (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling block must be reachable by keyboard
            <pre className="code-block" data-testid="try-it-body" tabIndex={0}>
              {result.body}
            </pre>
          ) : (
            <p className="empty">{t('apihub.tryIt.emptyBody')}</p>
          )}
        </section>
      )}
    </form>
  );
}
