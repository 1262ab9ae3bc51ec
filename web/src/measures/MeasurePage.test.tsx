import { cleanup, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { type MeasureCan, measureDetail, measureResults } from '../test/fixtures';
import { renderWithApp } from '../test/harness';
import MeasurePage from './MeasurePage';

/**
 * What the API answers each viewer may do with the measure of `measureDetail()` (NAV its LEAD): the page shows
 * what these say; that the API says them per role is pinned by test/graphql/abilities.test.ts.
 */
const CAN: Record<'coordinator' | 'nav' | 'jd' | 'funder', MeasureCan> = {
  coordinator: { edit: true, assign: true, report: true, setStatus: true, manageResults: true },
  nav: { report: true, setStatus: true, manageResults: true },
  jd: {},
  funder: {},
};

const render = (viewer: keyof typeof CAN, detail = measureDetail({ can: CAN[viewer] })) =>
  renderWithApp(<MeasurePage params={{ id: 'm1' }} />, {
    viewer,
    answers: {
      MeasurePage: detail,
      MeasureResults: measureResults(),
      PlanGoals: { data: { actionPlan: { __typename: 'ActionPlan', id: 'hp-2011-2014', goals: [] } } },
      MeasureSource: {
        data: {
          measure: {
            __typename: 'Measure',
            id: 'm1',
            provenance: { __typename: 'Provenance', kind: 'PUBLIC_FACT', reference: 'Public fact: KOM is measure 5 of the plan' },
          },
        },
      },
    },
  });

describe('a measure, by role', () => {
  it('shows responsibilities, reports and funding in nb-NO form', async () => {
    render('funder');
    expect(await screen.findByRole('heading', { level: 1, name: /Koordineringsenheten/ })).toBeTruthy();
    expect(screen.getByText('Hovedansvar')).toBeTruthy();
    expect(screen.getByText('1. halvår 2013')).toBeTruthy();
    expect(screen.getByText(/1\s250\s000 kr/)).toBeTruthy();
    expect(screen.getByText(/500\s000,50 kr/)).toBeTruthy();
    // Where the measure comes from, with its citation.
    expect(await screen.findByText('Offentlig kjent')).toBeTruthy();
    expect(screen.getByText(/KOM is measure 5 of the plan/)).toBeTruthy();
  });

  it('gives the coordinator edit, assign, remove and report', async () => {
    render('coordinator');
    await screen.findByRole('heading', { level: 1, name: /Koordineringsenheten/ });
    expect(screen.getByRole('heading', { name: 'Rediger tiltaket' })).toBeTruthy();
    // The assign form loads lazily too: once loaded, its submit button has the summary's text.
    expect(screen.getByText('Tildel ansvar', { selector: 'summary' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Fjern ansvaret til NAV' })).toBeTruthy();
    // The form behind it loads lazily: once loaded (by an earlier test), its button has the same text.
    expect(screen.getByText('Send statusrapport', { selector: 'summary' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Endringslogg' })).toBeTruthy();
  });

  it('lets an agency that holds a role report, and nothing else', async () => {
    render('nav');
    await screen.findByRole('heading', { level: 1, name: /Koordineringsenheten/ });
    // The form behind it loads lazily: once loaded (by an earlier test), its button has the same text.
    expect(screen.getByText('Send statusrapport', { selector: 'summary' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Rediger tiltaket' })).toBeNull();
    expect(screen.queryByText('Tildel ansvar')).toBeNull();
    expect(screen.queryByRole('button', { name: /Fjern/ })).toBeNull();
  });

  it('offers an agency without a role on the measure no report, and a funder nothing', async () => {
    render('jd');
    await screen.findByRole('heading', { level: 1, name: /Koordineringsenheten/ });
    expect(screen.queryAllByText('Send statusrapport')).toEqual([]);
    cleanup();
    render('funder');
    await screen.findByRole('heading', { level: 1, name: /Koordineringsenheten/ });
    expect(screen.queryAllByText('Send statusrapport')).toEqual([]);
    expect(screen.queryByRole('link', { name: 'Endringslogg' })).toBeNull();
  });

  it("gives milestones and indicators to the coordinator and the measure's LEAD, not to a SHARED agency", async () => {
    render('nav');
    expect(await screen.findByText('Ny milepæl')).toBeTruthy();
    expect(screen.getByText('Ny indikator')).toBeTruthy();
    cleanup();
    render('coordinator');
    expect(await screen.findByText('Ny milepæl')).toBeTruthy();
    cleanup();
    render('nav', measureDetail({ responsibilities: [{ role: 'SHARED', agencyId: 'nav', name: 'NAV' }], can: { report: true } }));
    await screen.findByRole('table', { name: 'Milepæler etter frist' });
    expect(screen.queryByText('Ny milepæl')).toBeNull();
    expect(screen.queryByText('Ny indikator')).toBeNull();
    cleanup();
    render('funder');
    await screen.findByRole('table', { name: 'Milepæler etter frist' });
    expect(screen.queryByText('Ny milepæl')).toBeNull();
  });
});
