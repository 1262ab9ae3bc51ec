import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { planDashboard } from '../test/fixtures';
import { renderWithApp } from '../test/harness';
import PlanPage from './PlanPage';

describe('the plan page', () => {
  it("shows the coordinator's first looks and the form to add a measure", async () => {
    const { sent } = renderWithApp(<PlanPage />, {
      viewer: 'coordinator',
      answers: { PlanDashboard: planDashboard({ coordinator: true }) },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Koordinatorens oversikt' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Tiltak uten hovedansvarlig' })).toBeTruthy();
    expect(screen.getByText('1 tiltak mangler rapport for 2014.')).toBeTruthy();
    expect(screen.getByText('Nytt tiltak')).toBeTruthy();
    // One request for the page, with the coordinator's part asked for.
    expect(sent).toHaveLength(1);
    expect(sent[0]?.variables).toMatchObject({ planId: 'hp-2011-2014', coordinator: true, period: '2014' });
  });

  it('counts measures by status and shows progress', async () => {
    renderWithApp(<PlanPage />, { viewer: 'viewer', answers: { PlanDashboard: planDashboard({ coordinator: false }) } });
    expect(await screen.findByText('1 av 3 tiltak er fullført (33 %).')).toBeTruthy();
    expect(screen.getByText('Pågår: 1')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'KOM' }).getAttribute('href')).toBe('/measures/m1');
  });

  it('offers a viewer no coordinator tools', async () => {
    const { sent } = renderWithApp(<PlanPage />, { viewer: 'viewer', answers: { PlanDashboard: planDashboard({ coordinator: false }) } });
    await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' });
    expect(screen.queryByText('Koordinatorens oversikt')).toBeNull();
    expect(screen.queryByText('Nytt tiltak')).toBeNull();
    expect(sent[0]?.variables).toMatchObject({ coordinator: false });
  });

  it('says a demo plan is invented, and a real one nothing of the kind', async () => {
    const real = planDashboard({ coordinator: false });
    const demo = structuredClone(real);
    demo.data.actionPlan.provenance = {
      __typename: 'Provenance',
      kind: 'DEMO',
      reference: 'Demo data: invented to show the platform, not a fact',
    };
    renderWithApp(<PlanPage />, { viewer: 'viewer', answers: { PlanDashboard: demo } });
    expect(await screen.findByText(/Denne planen er demodata/)).toBeTruthy();
  });

  it('does not call the real plan invented', async () => {
    renderWithApp(<PlanPage />, { viewer: 'viewer', answers: { PlanDashboard: planDashboard({ coordinator: false }) } });
    await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' });
    expect(screen.queryByText(/demodata/)).toBeNull();
  });

  it('speaks English when asked', async () => {
    renderWithApp(<PlanPage />, { viewer: 'viewer', locale: 'en', answers: { PlanDashboard: planDashboard({ coordinator: false }) } });
    expect(await screen.findByText('1 of 3 measures are completed (33%).')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Main goals' })).toBeTruthy();
  });
});
