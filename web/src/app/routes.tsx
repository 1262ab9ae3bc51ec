import { lazy } from 'react';

/** Every page loads in its own chunk: the entry holds the shell, the client and sign-in only. */
export const routes = [
  { path: '/', page: lazy(() => import('../plan/PlanPage')) },
  { path: '/measures/:id', page: lazy(() => import('../measures/MeasurePage')) },
  { path: '/agencies/:id', page: lazy(() => import('../agencies/AgencyPage')) },
  { path: '/duties', page: lazy(() => import('../duties/DutiesPage')) },
  { path: '/shelters', page: lazy(() => import('../shelters/SheltersPage')) },
  { path: '/capacity', page: lazy(() => import('../capacity/CapacityPage')) },
  { path: '/funding', page: lazy(() => import('../funding/FundingPage')) },
  { path: '/budget-lines/:id', page: lazy(() => import('../budget-lines/BudgetLinePage')) },
  { path: '/audit/:entityId', page: lazy(() => import('../audit/AuditPage')) },
] as const;
