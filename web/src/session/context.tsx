import { createContext, useContext } from 'react';
import type { AppConfig } from '../auth/config';
import type { Session } from '../auth/session';
import type { Role } from '../graphql';

/**
 * The signed-in viewer as the API describes it (AppViewer): who it is, and what it may do that belongs to
 * no one object. What it may do with an object, the page asks of that object (`viewerCan…`): the web
 * keeps no copy of the rules.
 */
export interface AppViewer {
  subject: string;
  roles: readonly Role[];
  /** The agency the viewer works for (an AGENCY_EDITOR whose agency the directory holds); null for everyone else. */
  agencyId: string | null;
  agencyName: string | null;
  canEditPlans: boolean;
  canManageAgencies: boolean;
  canReadAudit: boolean;
  canRegisterShelter: boolean;
  canCreateBudgetLine: boolean;
}

export interface AppContextValue {
  config: AppConfig;
  session: Session;
  viewer: AppViewer;
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

/** The viewer of an AppViewer answer, in the shape the pages read. */
export function appViewerOf(viewer: {
  subject: string;
  roles: readonly Role[];
  agency?: { id: string; name: string } | null;
  canEditPlans: boolean;
  canManageAgencies: boolean;
  canReadAudit: boolean;
  canRegisterShelter: boolean;
  canCreateBudgetLine: boolean;
}): AppViewer {
  return {
    subject: viewer.subject,
    roles: viewer.roles,
    agencyId: viewer.roles.includes('AGENCY_EDITOR') ? (viewer.agency?.id ?? null) : null,
    agencyName: viewer.agency?.name ?? null,
    canEditPlans: viewer.canEditPlans,
    canManageAgencies: viewer.canManageAgencies,
    canReadAudit: viewer.canReadAudit,
    canRegisterShelter: viewer.canRegisterShelter,
    canCreateBudgetLine: viewer.canCreateBudgetLine,
  };
}

/** Before the API has answered (or when it could not): no roles, no abilities. */
export const NO_VIEWER: AppViewer = {
  subject: '',
  roles: [],
  agencyId: null,
  agencyName: null,
  canEditPlans: false,
  canManageAgencies: false,
  canReadAudit: false,
  canRegisterShelter: false,
  canCreateBudgetLine: false,
};

export const DEFAULT_PLAN_ID = 'hp-2011-2014';
