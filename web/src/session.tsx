import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, get, post, sessionEnded } from './api';

export type OrgKind = 'operator' | 'provider' | 'consumer' | 'regulator';
export type OrgRole = 'owner' | 'admin' | 'member';

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  kinds: OrgKind[];
  status: 'pending' | 'active' | 'rejected' | 'suspended';
  sector?: string | null;
  location?: string | null;
}

export interface Me {
  user: { id: string; email: string; name: string };
  organisation: Organisation;
  role: OrgRole;
  memberships: { organisation: Organisation; role: OrgRole }[];
}

interface SessionState {
  /** `undefined` while loading, `null` when signed out. */
  me: Me | null | undefined;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  switchOrg: (orgId: string) => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>();

  const refresh = useCallback(async () => {
    try {
      setMe(await get<Me>('/v1/me'));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setMe(null);
      else throw error;
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setMe(null));
    const ended = () => setMe(null);
    window.addEventListener(sessionEnded, ended);
    return () => window.removeEventListener(sessionEnded, ended);
  }, [refresh]);

  const value = useMemo<SessionState>(
    () => ({
      me,
      refresh,
      signIn: async (email, password) => {
        await post('/v1/auth/login', { email, password });
        await refresh();
      },
      signOut: async () => {
        await post('/v1/auth/logout').catch(() => undefined);
        setMe(null);
      },
      switchOrg: async (orgId) => {
        setMe(await post<Me>('/v1/auth/switch-org', { orgId }));
      },
    }),
    [me, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in caller; pages under `RequireSession` may use it without checking. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}

export const hasKind = (me: Me, kind: OrgKind) => me.organisation.kinds.includes(kind);
export const isAdmin = (me: Me) => me.role === 'owner' || me.role === 'admin';
