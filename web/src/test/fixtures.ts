/** What the API answers the viewer under test may do with the measure (its `viewerCan…` fields); nothing unless said. */
export interface MeasureCan {
  edit?: boolean;
  assign?: boolean;
  report?: boolean;
  setStatus?: boolean;
  manageResults?: boolean;
}

/** Answers in the shape the API gives, with __typename as a normalizing client asks for it. */
export function measureDetail(
  overrides: { responsibilities?: { role: 'LEAD' | 'SHARED'; agencyId: string; name: string }[]; version?: number; can?: MeasureCan } = {},
) {
  const can = overrides.can ?? {};
  return {
    data: {
      measure: {
        __typename: 'Measure',
        id: 'm1',
        number: 5,
        title: 'Koordineringsenheten for ofre for menneskehandel (KOM)',
        description: 'Et tiltak.',
        status: 'IN_PROGRESS',
        version: overrides.version ?? 3,
        updatedAt: '2013-04-01T10:00:00.000Z',
        viewerCanEdit: can.edit ?? false,
        viewerCanAssign: can.assign ?? false,
        viewerCanReport: can.report ?? false,
        viewerCanManageResults: can.manageResults ?? false,
        plan: { __typename: 'ActionPlan', id: 'hp-2011-2014', title: 'Handlingsplanen' },
        goals: [{ __typename: 'Goal', number: 2, title: 'Bedre tilbudet' }],
        responsibilities: (overrides.responsibilities ?? [{ role: 'LEAD', agencyId: 'nav', name: 'NAV' }]).map((r) => ({
          __typename: 'Responsibility',
          role: r.role,
          agency: { __typename: 'Agency', id: r.agencyId, name: r.name, kind: 'DIRECTORATE' },
        })),
        statusReports: {
          __typename: 'StatusReportConnection',
          edges: [
            {
              __typename: 'StatusReportEdge',
              node: {
                __typename: 'StatusReport',
                period: '2013-H1',
                status: 'IN_PROGRESS',
                progressPercent: 40,
                summary: 'Godt i gang.',
                reportedBy: { __typename: 'Agency', id: 'nav' },
                reportedAt: '2013-07-01T08:00:00.000Z',
              },
            },
          ],
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
        funding: { __typename: 'FundingTotals', allocated: '1250000.00', disbursed: '500000.50' },
      },
    },
  };
}

export function planDashboard(options: { coordinator: boolean }) {
  const measure = (id: string, number: number | null, title: string, status: string, lead: string | null) => ({
    __typename: 'Measure',
    id,
    number,
    title,
    status,
    lead: lead ? { __typename: 'Agency', id: lead, name: lead.toUpperCase() } : null,
    goals: [{ __typename: 'Goal', number: 1 }],
  });
  return {
    data: {
      actionPlans: [{ __typename: 'ActionPlan', id: 'hp-2011-2014', title: 'Handlingsplanen' }],
      actionPlan: {
        __typename: 'ActionPlan',
        provenance: { __typename: 'Provenance', kind: 'SOURCE_DOCUMENT', reference: 'Handlingsplan mot menneskehandel (2011–2014)' },
        id: 'hp-2011-2014',
        title: 'Handlingsplanen',
        period: { __typename: 'Period', start: '2011-01-01', end: '2014-12-31' },
        measureCount: 35,
        coordinator: { __typename: 'Agency', id: 'jd', name: 'Justis- og politidepartementet' },
        goals: [{ __typename: 'Goal', id: 'hp-2011-2014#1', number: 1, title: 'Forebygge' }],
        measures: {
          __typename: 'MeasureConnection',
          totalCount: 3,
          edges: [
            { __typename: 'MeasureEdge', node: measure('m1', 5, 'KOM', 'IN_PROGRESS', 'nav') },
            { __typename: 'MeasureEdge', node: measure('m2', null, 'Lauras Hus', 'PLANNED', null) },
            { __typename: 'MeasureEdge', node: measure('m3', null, 'Ferdig tiltak', 'COMPLETED', 'jd') },
          ],
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
        ...(options.coordinator
          ? {
              measuresWithoutLead: [{ __typename: 'Measure', id: 'm2', number: null, title: 'Lauras Hus' }],
              measuresMissingReport: [{ __typename: 'Measure', id: 'm2', number: null, title: 'Lauras Hus', lead: null }],
            }
          : {}),
      },
    },
  };
}

/** The plan's progress from its counters: 3 measures (one each IN_PROGRESS, PLANNED, COMPLETED), in goal 1. */
export function planProgress(overrides: { measures?: number; completed?: number } = {}) {
  const completed = overrides.completed ?? 1;
  const measures = overrides.measures ?? 3;
  const statuses = ['NOT_REPORTED', 'PLANNED', 'IN_PROGRESS', 'COMPLETED', 'DELAYED', 'DISCONTINUED'];
  const byStatus = () =>
    statuses.map((status) => ({
      __typename: 'StatusCount',
      status,
      count: status === 'COMPLETED' ? completed : status === 'PLANNED' || status === 'IN_PROGRESS' ? 1 : 0,
    }));
  return {
    data: {
      actionPlan: {
        __typename: 'ActionPlan',
        id: 'hp-2011-2014',
        progress: {
          __typename: 'PlanProgress',
          measures,
          byStatus: byStatus(),
          goals: [{ __typename: 'GoalProgress', goalNumber: 1, measures, byStatus: byStatus() }],
          asOf: '2013-03-01',
          milestones: 4,
          milestonesDue: 2,
          milestonesDone: 1,
          milestonesDoneOfDue: 1,
          period: '2012',
          reportsOwed: 4,
          reportsSubmitted: 1,
        },
      },
    },
  };
}

/** A measure's milestones (one done, one late) and one indicator with a value. */
export function measureResults(overrides: { milestones?: unknown[]; indicators?: unknown[] } = {}) {
  return {
    data: {
      measure: {
        __typename: 'Measure',
        id: 'm1',
        milestones: overrides.milestones ?? [
          {
            __typename: 'Milestone',
            id: 'ms1',
            title: 'Avtale med kommunene',
            dueDate: '2012-06-30',
            doneOn: '2012-06-01',
            status: 'DONE',
            version: 2,
          },
          { __typename: 'Milestone', id: 'ms2', title: 'Evaluering', dueDate: '2013-12-31', doneOn: null, status: 'LATE', version: 1 },
        ],
        indicators: overrides.indicators ?? [
          {
            __typename: 'Indicator',
            id: 'ind1',
            name: 'Ofre som fikk bistand',
            unit: 'personer',
            baseline: 120,
            target: 250,
            direction: 'INCREASE',
            values: [{ __typename: 'IndicatorValue', period: '2012', value: 180.5, comment: 'Foreløpig tall' }],
          },
        ],
      },
    },
  };
}

type DutyFixture = { measure: string; agency: string; status: 'DUE' | 'OVERDUE' | 'SUBMITTED'; daysOverdue?: number };

function dutyEdge(d: DutyFixture, i: number) {
  return {
    __typename: 'ReportingDutyEdge',
    cursor: `c${i}`,
    node: {
      __typename: 'ReportingDuty',
      measure: {
        __typename: 'Measure',
        id: d.measure,
        number: i + 1,
        title: `Tiltak ${d.measure}`,
      },
      agency: { __typename: 'Agency', id: d.agency, name: d.agency.toUpperCase() },
      role: 'LEAD',
      period: '2012',
      dueDate: '2013-02-15',
      status: d.status,
      daysOverdue: d.daysOverdue ?? 0,
      report: d.status === 'SUBMITTED' ? { __typename: 'StatusReport', id: `r${i}`, reportedAt: '2013-02-01T09:00:00.000Z' } : null,
    },
  };
}

/** A page of a plan's duties for a period. */
export function planDuties(duties: DutyFixture[], page: { hasNextPage?: boolean; endCursor?: string | null } = {}) {
  return {
    data: {
      actionPlan: {
        __typename: 'ActionPlan',
        id: 'hp-2011-2014',
        reportingDuties: {
          __typename: 'ReportingDutyConnection',
          edges: duties.map((d, i) => dutyEdge(d, i)),
          pageInfo: { __typename: 'PageInfo', hasNextPage: page.hasNextPage ?? false, endCursor: page.endCursor ?? null },
        },
      },
    },
  };
}

/** A page of an agency's duties. */
export function agencyDuties(agencyId: string, duties: DutyFixture[], page: { hasNextPage?: boolean; endCursor?: string | null } = {}) {
  return {
    data: {
      agency: {
        __typename: 'Agency',
        id: agencyId,
        name: agencyId.toUpperCase(),
        reportingDuties: {
          __typename: 'ReportingDutyConnection',
          edges: duties.map((d, i) => dutyEdge(d, i)),
          pageInfo: { __typename: 'PageInfo', hasNextPage: page.hasNextPage ?? false, endCursor: page.endCursor ?? null },
        },
      },
    },
  };
}

/** The default schedule of the plan: each year, due 15 February of the next; `mayEdit` the API's `viewerCanSetReportingSchedule`. */
export function dutyPeriods(options: { mayEdit?: boolean } = {}) {
  return {
    data: {
      actionPlan: {
        __typename: 'ActionPlan',
        id: 'hp-2011-2014',
        title: 'Handlingsplanen',
        version: 7,
        viewerCanSetReportingSchedule: options.mayEdit ?? false,
        period: { __typename: 'Period', start: '2011-01-01', end: '2014-12-31' },
        reportingPeriods: [2011, 2012, 2013, 2014].map((y) => ({
          __typename: 'ReportingPeriod',
          period: `${y}`,
          dueDate: `${y + 1}-02-15`,
        })),
      },
    },
  };
}

/** The API's counties (`Query.regions`), a few of them: the pages offer what it lists, and no list of their own. */
export function regions(names: readonly string[] = ['Østfold', 'Oslo', 'Rogaland']) {
  return { data: { regions: [...names] } };
}
