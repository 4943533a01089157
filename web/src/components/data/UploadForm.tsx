import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { ErrorMessage } from '../Feedback';
import { formatBytes } from './common';
import { type Dataset, type DatasetFormat, datasetFormats } from './types';

/**
 * Sends a file as multipart/form-data (`format` before `file`, as the route reads it) with
 * XMLHttpRequest, whose upload events give a real progress bar; the answer is the dataset with its
 * new version, or problem+json turned into an ApiError like every other call.
 */
export function uploadVersion(
  datasetId: string,
  file: File,
  format: DatasetFormat | '',
  onProgress: (loaded: number, total: number) => void,
): Promise<Dataset> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    if (format) form.append('format', format);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/v1/datasets/${datasetId}/versions`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onerror = () => reject(new Error(xhr.statusText || 'network error'));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        body = { detail: xhr.responseText.slice(0, 200) };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as Dataset);
      else
        reject(
          new ApiError(
            xhr.status,
            String(body.code ?? `http-${xhr.status}`),
            String(body.title ?? xhr.statusText),
            String(body.detail ?? body.title ?? xhr.statusText),
            body,
          ),
        );
    };
    xhr.send(form);
  });
}

function formatFromName(name: string): DatasetFormat | '' {
  const extension = name.toLowerCase().split('.').pop() ?? '';
  if (extension === 'ndjson') return 'jsonl';
  return (datasetFormats as readonly string[]).includes(extension) ? (extension as DatasetFormat) : '';
}

export function UploadForm({
  datasetId,
  onUploaded,
}: {
  datasetId: string;
  onUploaded: (dataset: Dataset) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [format, setFormat] = useState<DatasetFormat | ''>('');
  const [progress, setProgress] = useState<{ loaded: number; total: number }>();
  const [isUploading, setUploading] = useState(false);
  const [error, setError] = useState<Error>();

  async function upload() {
    if (!file) return;
    setUploading(true);
    setError(undefined);
    setProgress({ loaded: 0, total: file.size });
    try {
      const dataset = await uploadVersion(
        datasetId,
        file,
        format || formatFromName(file.name),
        (loaded, total) => setProgress({ loaded, total }),
      );
      setFile(undefined);
      if (input.current) input.current.value = '';
      onUploaded(dataset);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setUploading(false);
      setProgress(undefined);
    }
  }

  const sent = progress && progress.total > 0 ? progress.loaded / progress.total : 0;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void upload();
      }}
    >
      <label htmlFor={`${id}-file`}>
        {t('data.upload.file')}
        <input
          id={`${id}-file`}
          ref={input}
          type="file"
          accept=".csv,.tsv,.parquet,.jsonl,.ndjson,text/csv,text/tab-separated-values,application/x-ndjson"
          onChange={(event) => setFile(event.target.files?.[0])}
        />
      </label>
      <p className="hint">{t('data.upload.hint')}</p>
      <label>
        {t('data.upload.format')}
        <select value={format} onChange={(event) => setFormat(event.target.value as DatasetFormat | '')}>
          <option value="">{t('data.upload.formatAuto')}</option>
          {datasetFormats.map((f) => (
            <option key={f} value={f}>
              {t(`data.format.${f}`)}
            </option>
          ))}
        </select>
      </label>
      {file && (
        <p className="meta">
          {t('data.upload.chosen', { name: file.name, size: formatBytes(file.size, i18n.language) })}
        </p>
      )}
      {isUploading && progress && (
        <div className="upload-progress">
          <span id={`${id}-progress`}>
            {sent >= 1
              ? t('data.upload.processing')
              : t('data.upload.sending', { percent: Math.round(sent * 100) })}
          </span>
          {sent >= 1 ? (
            <progress aria-labelledby={`${id}-progress`} />
          ) : (
            <progress aria-labelledby={`${id}-progress`} max={progress.total} value={progress.loaded} />
          )}
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={!file || isUploading}>
          {isUploading ? t('data.upload.uploading') : t('data.upload.submit')}
        </button>
      </div>
    </form>
  );
}
