import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isUniqueViolation } from './errors.js';

describe('database errors', () => {
  it('tells a database out of reach from a statement that failed', () => {
    const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });
    for (const lost of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
    ]) {
      expect(isDatabaseUnavailable(lost), lost.message).toBe(true);
      expect(isDatabaseUnavailable(wrapped(lost)), lost.message).toBe(true);
    }
    const duplicate = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    expect(isUniqueViolation(wrapped(duplicate))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
