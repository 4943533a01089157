// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, attachmentName, saveFile } from './api';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('attachmentName', () => {
  it('reads the name a Content-Disposition gives, the UTF-8 form first', () => {
    expect(
      attachmentName(new Headers({ 'content-disposition': 'attachment; filename="receipt-C1.json"' })),
    ).toBe('receipt-C1.json');
    expect(
      attachmentName(
        new Headers({
          'content-disposition': `attachment; filename="x.csv"; filename*=UTF-8''%E5%90%8C%E6%84%8F.csv`,
        }),
      ),
    ).toBe('同意.csv');
    expect(attachmentName(new Headers())).toBeUndefined();
  });
});

describe('saveFile', () => {
  it('saves the answer under its own name and hands back its headers', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        new Response('{"subject":"C1"}', {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="receipt-C1.json"', 'stp-count': '3' },
        }),
      ),
    );
    const created = vi.fn().mockReturnValue('blob:receipt');
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.download} ${this.href}`);
    });
    const saved = await saveFile('GET', '/v1/consents/receipts/C1', { accept: 'application/json' });
    expect(saved.fileName).toBe('receipt-C1.json');
    expect(saved.headers.get('stp-count')).toBe('3');
    expect(clicked).toEqual(['receipt-C1.json blob:receipt']);
    expect(await (created.mock.calls[0]![0] as Blob).text()).toBe('{"subject":"C1"}');
  });

  it('throws the problem instead of saving it as the file', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        new Response(JSON.stringify({ code: 'not-found', title: 'Not Found', detail: 'consent of C9' }), {
          status: 404,
          headers: { 'content-type': 'application/problem+json' },
        }),
      ),
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    const refused = saveFile('GET', '/v1/consents/receipts/C9', { accept: 'application/json' });
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ code: 'not-found', detail: 'consent of C9' });
    expect(click).not.toHaveBeenCalled();
  });
});
