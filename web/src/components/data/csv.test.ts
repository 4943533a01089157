import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('CSV of a query result (RFC 4180)', () => {
  it('leaves plain fields as they are and writes null as empty', () => {
    expect(csvField('b15w')).toBe('b15w');
    expect(csvField(42.5)).toBe('42.5');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes a field holding a comma, a quote, CR or LF, and doubles its quotes', () => {
    expect(csvField('Wan Chai, HK')).toBe('"Wan Chai, HK"');
    expect(csvField('the "Innocell" block')).toBe('"the ""Innocell"" block"');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvField('"')).toBe('""""');
  });

  it('writes objects as JSON, quoted because JSON has quotes', () => {
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('has a header row and ends every record with CRLF', () => {
    const csv = toCsv(
      ['building', 'kwh', 'note'],
      [
        ['b15w', 120, null],
        ['innocell', 98.5, 'meter, replaced'],
      ],
    );
    expect(csv).toBe('building,kwh,note\r\nb15w,120,\r\ninnocell,98.5,"meter, replaced"\r\n');
  });

  it('quotes a column name that needs it', () => {
    expect(toCsv(['a,b', 'c'], [])).toBe('"a,b",c\r\n');
  });
});
