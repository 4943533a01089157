import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { TableScroll } from '../TableScroll';
import { CodeSamples } from './CodeSamples';
import { groupByTag, type OperationModel, operationsOf, schemaToText } from './openapi';
import { TryIt } from './TryIt';

/** What GET /v1/apis/{id} lists for each operation: the fallback when the document is not JSON. */
export interface OperationSummary {
  method: string;
  path: string;
  operationId: string | null;
  summary: string | null;
  tags: string[];
}

export function MethodBadge({ method }: { method: string }) {
  return <span className={`method method-${method.toLowerCase()}`}>{method.toUpperCase()}</span>;
}

function fromSummary(op: OperationSummary): OperationModel {
  return {
    key: `${op.method.toUpperCase()} ${op.path}`,
    method: op.method.toUpperCase(),
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    description: null,
    tags: op.tags,
    deprecated: false,
    // Path parameters are still known from the template, so try-it can fill them.
    parameters: [...op.path.matchAll(/\{([^{}]+)\}/g)].map((m) => ({
      name: m[1] ?? '',
      in: 'path',
      required: true,
      type: 'string',
      description: null,
      example: null,
    })),
    requestBody: null,
    responses: [],
  };
}

function SchemaBlock({ document, schema }: { document: unknown; schema: unknown }) {
  if (schema === undefined || schema === null) return null;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling block must be reachable by keyboard
    <pre className="code-block schema" tabIndex={0}>
      {schemaToText(document, schema)}
    </pre>
  );
}

function Operation({
  document,
  operation,
  gatewayBase,
  apiKey,
  isIncluded,
  includedIn,
}: {
  document: unknown;
  operation: OperationModel;
  gatewayBase: string;
  apiKey: string | null;
  isIncluded: boolean | null;
  /** Another plan of the API that includes the operation, when the caller's does not. */
  includedIn?: { id: string; name: string };
}) {
  const { t } = useTranslation();
  return (
    <details className="operation" data-operation={operation.key}>
      <summary>
        <MethodBadge method={operation.method} />
        <code className="operation-path">{operation.path}</code>
        {operation.summary && <span className="operation-summary">{operation.summary}</span>}
        {operation.deprecated && <span className="badge">{t('apihub.reference.deprecated')}</span>}
        {isIncluded === false && (
          <span className="badge badge-pending">{t('apihub.reference.notInPlan')}</span>
        )}
      </summary>
      <div className="operation-body">
        {isIncluded === false && (
          <p className="hint plan-path">
            {includedIn ? (
              <>
                {t('apihub.reference.inPlan')}{' '}
                <a
                  href={`#plan-${includedIn.id}`}
                  onClick={(event) => {
                    // The plans are on this page: move focus there, as the hash alone does not in a router.
                    const target = window.document.getElementById(`plan-${includedIn.id}`);
                    if (!target) return;
                    event.preventDefault();
                    target.scrollIntoView({ block: 'center' });
                    target.focus();
                  }}
                >
                  {t('apihub.reference.seePlan', { plan: includedIn.name })}
                </a>
              </>
            ) : (
              t('apihub.reference.inNoPlan')
            )}
          </p>
        )}
        {operation.description && <p className="operation-description">{operation.description}</p>}
        {operation.operationId && (
          <p className="meta">
            {t('apihub.reference.operationId')} <code>{operation.operationId}</code>
          </p>
        )}
        <h4>{t('apihub.reference.parameters')}</h4>
        {operation.parameters.length === 0 ? (
          <p className="empty">{t('apihub.reference.noParameters')}</p>
        ) : (
          <TableScroll label={t('apihub.reference.parameters')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('apihub.reference.name')}</th>
                  <th scope="col">{t('apihub.reference.location')}</th>
                  <th scope="col">{t('apihub.reference.type')}</th>
                  <th scope="col">{t('apihub.reference.requiredColumn')}</th>
                  <th scope="col">{t('apihub.reference.description')}</th>
                </tr>
              </thead>
              <tbody>
                {operation.parameters.map((p) => (
                  <tr key={`${p.in}:${p.name}`}>
                    <td>
                      <code>{p.name}</code>
                    </td>
                    <td>{t(`apihub.reference.in.${p.in}`, { defaultValue: p.in })}</td>
                    <td>
                      <code>{p.type}</code>
                    </td>
                    <td>{p.required ? t('apihub.reference.yes') : t('apihub.reference.no')}</td>
                    <td>{p.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {operation.requestBody && (
          <>
            <h4>
              {t('apihub.reference.requestBody')}{' '}
              <code className="hint">{operation.requestBody.contentType}</code>
            </h4>
            <SchemaBlock document={document} schema={operation.requestBody.schema} />
          </>
        )}
        {operation.responses.length > 0 && (
          <>
            <h4>{t('apihub.reference.responses')}</h4>
            <ul className="responses">
              {operation.responses.map((r) => (
                <li key={r.status}>
                  <p>
                    <span className={`badge status-${r.status.charAt(0)}xx`}>{r.status}</span> {r.description}
                    {r.contentType && <code className="hint"> {r.contentType}</code>}
                  </p>
                  <SchemaBlock document={document} schema={r.schema} />
                </li>
              ))}
            </ul>
          </>
        )}
        <h4>{t('apihub.samples.title')}</h4>
        <CodeSamples document={document} operation={operation} gatewayBase={gatewayBase} />
        {apiKey !== null && (
          <>
            <h4>{t('apihub.tryIt.title')}</h4>
            <TryIt operation={operation} gatewayBase={gatewayBase} apiKey={apiKey} />
          </>
        )}
      </div>
    </details>
  );
}

/**
 * The API reference rendered from the OpenAPI document (JSON): operations grouped by tag, each
 * with method, path, summary, parameters, request body and responses, and a try-it form.
 */
export function OpenApiReference({
  document,
  fallback,
  gatewayBase,
  apiKey,
  includes,
  includingPlan,
}: {
  /** The parsed document, or null when it could not be parsed (then the listed operations are shown). */
  document: unknown;
  fallback: OperationSummary[];
  gatewayBase: string;
  /** The key try-it sends; null hides try-it (organisations that cannot subscribe). */
  apiKey: string | null;
  /** Whether the caller's plan includes an operation; null when there is no plan to check. */
  includes?: (operation: OperationModel) => boolean | null;
  /** The plan that includes an operation the caller's plan leaves out, to point at it. */
  includingPlan?: (operation: OperationModel) => { id: string; name: string } | undefined;
}) {
  const { t } = useTranslation();
  const groups = useMemo(() => {
    const parsed = document ? operationsOf(document) : [];
    const operations = parsed.length > 0 ? parsed : fallback.map(fromSummary);
    return groupByTag(parsed.length > 0 ? document : null, operations);
  }, [document, fallback]);
  const isFallback = !document || operationsOf(document).length === 0;

  return (
    <div className="reference">
      {isFallback && fallback.length > 0 && <p className="hint">{t('apihub.reference.summaryOnly')}</p>}
      {groups.length === 0 && <p className="empty">{t('apihub.reference.noOperations')}</p>}
      {groups.map((group) => (
        <section key={group.tag || '-'} className="tag-group">
          <h3>{group.tag || t('apihub.reference.untagged')}</h3>
          {group.description && <p className="meta">{group.description}</p>}
          {group.operations.map((operation) => (
            <Operation
              key={operation.key}
              document={document}
              operation={operation}
              gatewayBase={gatewayBase}
              apiKey={apiKey}
              isIncluded={includes ? includes(operation) : null}
              includedIn={includingPlan?.(operation)}
            />
          ))}
        </section>
      ))}
    </div>
  );
}
