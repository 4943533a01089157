import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enApiHub from './locales/en/apihub.json';
import enCommon from './locales/en/common.json';
import enCommunity from './locales/en/community.json';
import enData from './locales/en/data.json';
import enPortal from './locales/en/portal.json';
import zhApiHub from './locales/zh-HK/apihub.json';
import zhCommon from './locales/zh-HK/common.json';
import zhCommunity from './locales/zh-HK/community.json';
import zhData from './locales/zh-HK/data.json';
import zhPortal from './locales/zh-HK/portal.json';

/**
 * English and Traditional Chinese (Hong Kong). One file per area of the portal and language, so
 * each area's wording lives beside its peers; `common` holds navigation, sign-in and shared words.
 * `portal` holds the governance screens and the wording of problems the portal explains itself.
 * A component test checks both languages have the same keys.
 */
export const languages = [
  { code: 'en', label: 'English' },
  { code: 'zh-HK', label: '繁體中文' },
] as const;
export type Language = (typeof languages)[number]['code'];

/**
 * The locale dates are written in: English as in Hong Kong and Britain (`4 Dec 2026`, never
 * `12/4/26` nor `Dec 4, 2026`), Chinese as it is (`2026年12月4日`).
 */
export function dateLocale(language: string): string {
  return language === 'en' ? 'en-GB' : language;
}

export const resources = {
  en: {
    translation: { ...enCommon, apihub: enApiHub, data: enData, community: enCommunity, portal: enPortal },
  },
  'zh-HK': {
    translation: { ...zhCommon, apihub: zhApiHub, data: zhData, community: zhCommunity, portal: zhPortal },
  },
} as const;

const storageKey = 'stp.language';

function initialLanguage(): Language {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(storageKey);
  if (saved === 'en' || saved === 'zh-HK') return saved;
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages;
  return preferred.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh-HK' : 'en';
}

export function setupI18n(language: Language = initialLanguage()) {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance.on('languageChanged', (lng) => {
    if (typeof document !== 'undefined') document.documentElement.lang = lng;
    if (typeof localStorage !== 'undefined') localStorage.setItem(storageKey, lng);
  });
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  return instance;
}
