import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { storeToken, storedToken, whenUnauthorized } from './api/client';
import { useMe } from './api/hooks';
import { Loading } from './components/common';
import type { Me } from './api/types';

interface Session {
  me: Me;
  token: string;
  /** Whether the signed-in role may change anything (admins only). */
  canChange: boolean;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

/** The signed-in caller; only rendered inside {@link SignedIn}. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in tree');
  return session;
}

/** Renders its children for a signed-in caller, and the sign-in form otherwise. */
export function SignedIn({ children, signIn }: { children: ReactNode; signIn: (onToken: (token: string) => void) => ReactNode }) {
  const client = useQueryClient();
  const [token, setToken] = useState<string | null>(storedToken);
  const me = useMe(token);

  useEffect(() => {
    whenUnauthorized(() => {
      storeToken(null);
      setToken(null);
    });
  }, []);

  if (!token || me.isError) {
    return signIn((next) => {
      storeToken(next);
      setToken(next);
    });
  }
  if (!me.data) {
    return <Loading label="Signing in" />;
  }
  const signOut = () => {
    storeToken(null);
    setToken(null);
    client.clear();
  };
  return (
    <SessionContext.Provider value={{ me: me.data, token, canChange: me.data.role === 'ADMIN', signOut }}>
      {children}
    </SessionContext.Provider>
  );
}
