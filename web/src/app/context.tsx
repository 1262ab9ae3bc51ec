import { createContext, useContext } from 'react';
import type { AppConfig } from '../auth/config';
import type { Session } from '../auth/session';
import { type Rights, rightsOf } from './rights';

export interface AppContextValue {
  config: AppConfig;
  session: Session;
  rights: Rights;
  viewer: { subject: string; agencyName: string | null } | null;
  /** Sign in locally as a role or agency ("funder", "agency:nav"). */
  actAs: (as: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Plan shown on the plan and funding pages. */
  planId: string;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app');
  return value;
}

export const useRights = () => useApp().rights;

/** A placeholder for tests and the sign-in page. */
export const noRights = rightsOf(null);

export const DEFAULT_PLAN_ID = 'hp-2011-2014';
