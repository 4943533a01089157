import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Tabs } from '../community/RoleTabs';
import { codeSample, curlSample, type SampleLanguage, sampleLanguages, sampleRequest } from './codeSamples';
import type { OperationModel } from './openapi';

/** The gateway's absolute address, as a program outside the portal must call it. */
const absolute = (gatewayBase: string) =>
  gatewayBase.startsWith('/') ? `${window.location.origin}${gatewayBase}` : gatewayBase;

/** An operation's call in curl, Python and JavaScript, with "Copy as curl" and a copy of the shown sample. */
export function CodeSamples({
  document,
  operation,
  gatewayBase,
}: {
  document: unknown;
  operation: OperationModel;
  gatewayBase: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [language, setLanguage] = useState<SampleLanguage>('curl');
  const [copied, setCopied] = useState<'curl' | 'sample' | 'failed'>();
  const request = useMemo(
    () => sampleRequest(document, operation, absolute(gatewayBase)),
    [document, operation, gatewayBase],
  );
  const copy = async (text: string, which: 'curl' | 'sample') => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(which);
    } catch {
      // No clipboard (plain http, permission refused): the code is in the box to select by hand.
      setCopied('failed');
    }
    setTimeout(() => setCopied(undefined), 2000);
  };
  const panelId = `${id}-panel`;

  return (
    <div className="code-samples">
      <div className="code-samples-actions">
        <button
          type="button"
          className="button button-small"
          onClick={() => copy(curlSample(request), 'curl')}
        >
          {copied === 'curl' ? t('apihub.samples.copied') : t('apihub.samples.copyCurl')}
        </button>
        <span role="status" className="hint">
          {copied === 'failed' ? t('apihub.samples.copyFailed') : copied ? t('apihub.samples.copied') : ''}
        </span>
      </div>
      <Tabs
        label={t('apihub.samples.label', { operation: operation.key })}
        items={sampleLanguages.map((value) => ({ value, label: t(`apihub.samples.language.${value}`) }))}
        value={language}
        onChange={setLanguage}
        panelId={panelId}
        idPrefix={`${id}-tab`}
      />
      <div id={panelId} role="tabpanel" aria-labelledby={`${id}-tab-${language}`}>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling block must be reachable by keyboard */}
        <pre className="code-block" tabIndex={0} data-testid="code-sample">
          {codeSample(language, request)}
        </pre>
        <button
          type="button"
          className="button button-small"
          onClick={() => copy(codeSample(language, request), 'sample')}
        >
          {copied === 'sample' ? t('apihub.samples.copied') : t('apihub.samples.copy')}
        </button>
      </div>
    </div>
  );
}
