import { describe, expect, it } from 'vitest';
import { groupName, groupOf } from './ckan.js';

describe('CKAN group names from themes', () => {
  it('makes a valid CKAN name from the words, keeping the words as the title', () => {
    expect(groupOf('Public Health')).toMatchObject({ name: 'public-health', title: 'Public Health' });
    expect(groupName('Économie & Finance')).toBe('economie-finance');
    expect(groupName('energy')).toBe('energy');
    expect(groupName('  -- Smart   Cities -- ')).toBe('smart-cities');
    expect(groupName('x'.repeat(150))).toHaveLength(100);
  });

  it('names a theme without Latin letters by a stable hash', () => {
    const name = groupName('東涌');
    expect(name).toMatch(/^theme-[0-9a-f]{12}$/);
    expect(groupName('東涌')).toBe(name);
    expect(groupName('屯門')).not.toBe(name);
    for (const theme of ['東涌', 'a', '%', 'Public Health', 'x'.repeat(150)]) {
      expect(groupName(theme)).toMatch(/^[a-z0-9_-]{2,100}$/);
    }
  });
});
