import { describe, expect, it } from 'vitest';
import { resources } from './i18n';

type Tree = { [key: string]: string | Tree };

function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

function valuesOf(tree: Tree): string[] {
  return Object.values(tree).flatMap((value) => (typeof value === 'string' ? [value] : valuesOf(value)));
}

describe('translations', () => {
  const english = resources.en.translation as unknown as Tree;
  const chinese = resources['zh-HK'].translation as unknown as Tree;

  it('has every English key in Traditional Chinese and no key only in one language', () => {
    const en = new Set(keysOf(english));
    const zh = new Set(keysOf(chinese));
    expect([...en].filter((key) => !zh.has(key))).toEqual([]);
    expect([...zh].filter((key) => !en.has(key))).toEqual([]);
  });

  it('keeps the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const zhByKey = new Map(keysOf(chinese).map((key, i) => [key, valuesOf(chinese)[i]!]));
    const mismatched = keysOf(english)
      .map((key, i) => [key, valuesOf(english)[i]!] as const)
      .filter(
        ([key, text]) =>
          zhByKey.has(key) && placeholders(text).join() !== placeholders(zhByKey.get(key)!).join(),
      )
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('has no empty text and Chinese text that is not English copied over', () => {
    expect(valuesOf(english).filter((text) => text.trim() === '')).toEqual([]);
    expect(valuesOf(chinese).filter((text) => text.trim() === '')).toEqual([]);
    // A zh-HK string with no Chinese character is an untranslated copy, unless it is a code or a name.
    const untranslated = keysOf(chinese).filter((_key, i) => {
      const text = valuesOf(chinese)[i]!;
      return !/[\u3400-\u9fff]/.test(text) && /[a-z]{4,} [a-z]{4,}/i.test(text);
    });
    expect(untranslated).toEqual([]);
  });
});
