import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router';
import { get } from './api';
import { type Language, languages } from './i18n';
import { hasKind, type Me, useMe, useSession } from './session';

interface NavItem {
  to: string;
  label: string;
}

/** What each organisation sees in the navigation follows what it is (DESIGN.md, roles). */
export function navigationFor(me: Me, t: (key: string) => string): NavItem[] {
  const items: NavItem[] = [
    { to: '/', label: t('nav.home') },
    { to: '/explore', label: t('nav.explore') },
    { to: '/community', label: t('nav.community') },
    { to: '/wishes', label: t('nav.wishes') },
  ];
  const isRegulator = hasKind(me, 'regulator');
  if (hasKind(me, 'consumer') || hasKind(me, 'provider')) {
    items.push({ to: '/credentials', label: t('nav.credentials') });
    items.push({ to: '/agreements', label: t('nav.agreements') });
    items.push({ to: '/sql', label: t('nav.sql') });
    items.push({ to: '/labs', label: t('nav.labs') });
  }
  if (hasKind(me, 'provider')) {
    items.push({ to: '/publish', label: t('nav.publish') });
    items.push({ to: '/requests', label: t('nav.requests') });
    items.push({ to: '/consents', label: t('nav.consents') });
  }
  if (!isRegulator) items.push({ to: '/usage', label: t('nav.usage') });
  if (hasKind(me, 'provider') || hasKind(me, 'operator')) {
    items.push({ to: '/harvest-sources', label: t('nav.harvest') });
  }
  // Every organisation may send its own events to its systems; the regulator's come to it in the portal.
  if (!isRegulator) items.push({ to: '/webhooks', label: t('nav.webhooks') });
  if (isRegulator) items.push({ to: '/regulator', label: t('nav.regulator') });
  if (hasKind(me, 'operator')) {
    items.push({ to: '/regulator/ledger', label: t('nav.ledger') });
    items.push({ to: '/admin/applications', label: t('nav.applications') });
    items.push({ to: '/admin/locations', label: t('nav.locations') });
  }
  return items;
}

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language')}</span>
      <select
        value={i18n.language}
        onChange={(event) => void i18n.changeLanguage(event.target.value as Language)}
        data-testid="language-switch"
      >
        {languages.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function OrgSwitch() {
  const me = useMe();
  const { switchOrg } = useSession();
  const { t } = useTranslation();
  if (me.memberships.length < 2) return <span className="org-name">{me.organisation.name}</span>;
  return (
    <label className="org-switch">
      <span className="visually-hidden">{t('organisation')}</span>
      <select value={me.organisation.id} onChange={(event) => void switchOrg(event.target.value)}>
        {me.memberships.map((m) => (
          <option key={m.organisation.id} value={m.organisation.id}>
            {m.organisation.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Sent by pages that change what is unread, so the bell's count follows without a page change. */
export const notificationsChanged = 'stp:notifications-changed';

function UnreadCount() {
  const { t } = useTranslation();
  const location = useLocation();
  const [unread, setUnread] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-count on every page change
  useEffect(() => {
    const count = () =>
      get<{ items: { readAt: string | null }[] }>('/v1/notifications', { limit: 100 })
        .then((page) => setUnread(page.items.filter((n) => !n.readAt).length))
        .catch(() => setUnread(0));
    void count();
    window.addEventListener(notificationsChanged, count);
    return () => window.removeEventListener(notificationsChanged, count);
  }, [location.pathname]);
  return (
    <NavLink
      to="/notifications"
      className="notifications-link"
      aria-label={t('nav.notificationsCount', { count: unread })}
    >
      <svg
        aria-hidden="true"
        width="20"
        height="20"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 && <span className="count">{unread}</span>}
    </NavLink>
  );
}

export function Layout() {
  const me = useMe();
  const { signOut } = useSession();
  const { t } = useTranslation();
  const location = useLocation();
  const [isMenuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu after navigating
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            STP
          </span>
          <span className="brand-name">{t('brand')}</span>
        </NavLink>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={isMenuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {t('menu')}
        </button>
        <div className="topbar-tools">
          <div className="topbar-account">
            <OrgSwitch />
          </div>
          <UnreadCount />
          <LanguageSwitch />
          <div className="topbar-account">
            <span className="user-name" title={me.user.email}>
              {me.user.name}
            </span>
            <button type="button" className="button button-ghost" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          </div>
        </div>
      </header>
      <div className="body">
        <nav id="primary-nav" className={`sidenav${isMenuOpen ? ' open' : ''}`} aria-label={t('nav.label')}>
          {/* On a phone the header keeps one row: who is signed in, for which organisation, and
              signing out live at the top of the menu instead. */}
          <div className="sidenav-account">
            <OrgSwitch />
            <span className="user-name">{me.user.name}</span>
            <button type="button" className="button button-ghost" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          </div>
          <ul>
            {navigationFor(me, t).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/'}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {me.organisation.status !== 'active' && (
            <div className="alert alert-warning" role="status">
              {t('orgPending', { status: t(`status.${me.organisation.status}`) })}
            </div>
          )}
          <Outlet />
        </main>
      </div>
    </div>
  );
}
