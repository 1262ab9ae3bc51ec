import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { planDashboard, planProgress } from '../test/fixtures';
import { renderWithApp } from '../test/harness';
import PlanPage from './PlanPage';

describe('the plan page', () => {
  it("shows the coordinator's first looks and the form to add a measure", async () => {
    const { sent } = renderWithApp(<PlanPage />, {
      viewer: 'coordinator',
      answers: { PlanDashboard: planDashboard({ coordinator: true }), PlanProgress: planProgress() },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Koordinatorens oversikt' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Tiltak uten hovedansvarlig' })).toBeTruthy();
    expect(screen.getByText('1 tiltak mangler rapport for 2014.')).toBeTruthy();
    expect(screen.getByText('Nytt tiltak')).toBeTruthy();
    // Two requests for the page: the plan, with the coordinator's part asked for, and its progress.
    expect(sent.map((op) => op.operationName).sort()).toEqual(['PlanDashboard', 'PlanProgress']);
    expect(sent.find((op) => op.operationName === 'PlanDashboard')?.variables).toMatchObject({
      planId: 'hp-2011-2014',
      coordinator: true,
      period: '2014',
    });
  });

  it('counts measures by status and shows progress', async () => {
    renderWithApp(<PlanPage />, {
      viewer: 'viewer',
      answers: { PlanDashboard: planDashboard({ coordinator: false }), PlanProgress: planProgress() },
    });
    expect(await screen.findByText('1 av 3 tiltak er fullført (33 %); tallene kommer fra planens tellere.')).toBeTruthy();
    expect(screen.getByText('Pågår: 1')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'KOM' }).getAttribute('href')).toBe('/measures/m1');
  });

  it('offers a viewer no coordinator tools', async () => {
    const { sent } = renderWithApp(<PlanPage />, {
      viewer: 'viewer',
      answers: { PlanDashboard: planDashboard({ coordinator: false }), PlanProgress: planProgress() },
    });
    await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' });
    expect(screen.queryByText('Koordinatorens oversikt')).toBeNull();
    expect(screen.queryByText('Nytt tiltak')).toBeNull();
    expect(sent.find((op) => op.operationName === 'PlanDashboard')?.variables).toMatchObject({ coordinator: false });
  });

  it('says a demo plan is invented, and a real one nothing of the kind', async () => {
    const real = planDashboard({ coordinator: false });
    const demo = structuredClone(real);
    demo.data.actionPlan.provenance = {
      __typename: 'Provenance',
      kind: 'DEMO',
      reference: 'Demo data: invented to show the platform, not a fact',
    };
    renderWithApp(<PlanPage />, { viewer: 'viewer', answers: { PlanDashboard: demo, PlanProgress: planProgress() } });
    expect(await screen.findByText(/Denne planen er demodata/)).toBeTruthy();
  });

  it('does not call the real plan invented', async () => {
    renderWithApp(<PlanPage />, {
      viewer: 'viewer',
      answers: { PlanDashboard: planDashboard({ coordinator: false }), PlanProgress: planProgress() },
    });
    await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' });
    expect(screen.queryByText(/demodata/)).toBeNull();
  });

  it('speaks English when asked', async () => {
    renderWithApp(<PlanPage />, {
      viewer: 'viewer',
      locale: 'en',
      answers: { PlanDashboard: planDashboard({ coordinator: false }), PlanProgress: planProgress() },
    });
    expect(await screen.findByText("1 of 3 measures completed (33%); the figures come from the plan's counters.")).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Main goals' })).toBeTruthy();
  });

  it('counts every measure from the counters, not the page of measures read', async () => {
    // The plan holds 140 measures, 60 of them completed; the page read holds only 3 of them.
    renderWithApp(<PlanPage />, {
      viewer: 'viewer',
      answers: { PlanDashboard: planDashboard({ coordinator: false }), PlanProgress: planProgress({ measures: 140, completed: 60 }) },
    });
    expect(await screen.findByText('60 av 140 tiltak er fullført (43 %); tallene kommer fra planens tellere.')).toBeTruthy();
    expect(screen.getByText('Fullført: 60')).toBeTruthy();
    expect((screen.getByLabelText(/60 av 140 tiltak/) as HTMLProgressElement).value).toBe(60);
  });

  it('shows milestones done against due, reports submitted against owed, and each goal by status', async () => {
    renderWithApp(<PlanPage />, {
      viewer: 'viewer',
      answers: { PlanDashboard: planDashboard({ coordinator: false }), PlanProgress: planProgress() },
    });
    expect(
      await screen.findByText('1 av 2 milepæler med frist til og med 1. mars 2013 er fullført (4 milepæler i alt, 1 fullført).'),
    ).toBeTruthy();
    expect(screen.getByText('1 av 4 rapporter for 2012 er levert.')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Antall tiltak per hovedmål og status' });
    expect(table.textContent).toContain('1. Forebygge');
    expect(screen.getByRole('link', { name: 'Se rapporteringspliktene' }).getAttribute('href')).toBe('/duties');
  });

  it('says so when the progress cannot be read, and still shows the plan', async () => {
    renderWithApp(<PlanPage />, {
      viewer: 'viewer',
      answers: {
        PlanDashboard: planDashboard({ coordinator: false }),
        PlanProgress: { data: null, errors: [{ message: 'down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
      },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Prøv igjen' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'KOM' })).toBeTruthy();
  });
});
