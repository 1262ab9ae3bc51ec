import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { measureDetail } from '../test/fixtures';
import { errorAnswer, renderWithApp } from '../test/harness';
import EditMeasureForm from './EditMeasureForm';

const measure = { id: 'm1', title: 'KOM', description: '', status: 'IN_PROGRESS' as const, version: 3, goals: [] };
const goals = { data: { actionPlan: { __typename: 'ActionPlan', id: 'hp-2011-2014', goals: [] } } };
const saved = (version: number) => ({
  data: {
    updateMeasure: {
      __typename: 'MeasurePayload',
      measure: {
        __typename: 'Measure',
        id: 'm1',
        title: 'KOM (ny)',
        description: null,
        status: 'IN_PROGRESS',
        version,
        updatedAt: '2013-05-01T00:00:00.000Z',
        goals: [],
      },
    },
  },
});

describe('editing a measure', () => {
  it('on CONFLICT loads the latest version and keeps the change, then saves it on that version', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const conflictOnce = () =>
      ++attempt === 1
        ? errorAnswer('The measure has changed since version 3; it is now at version 4.', {
            code: 'CONFLICT',
            field: 'expectedVersion',
            currentVersion: 4,
          })
        : saved(5);
    const { sent } = renderWithApp(<EditMeasureForm measure={measure} planId="hp-2011-2014" />, {
      viewer: 'coordinator',
      answers: {
        PlanGoals: goals,
        EditMeasure: conflictOnce,
        MeasurePage: measureDetail({ version: 4, can: { edit: true, assign: true, report: true, setStatus: true, manageResults: true } }),
      },
    });
    const title = screen.getByLabelText(/^Tittel/);
    await user.clear(title);
    await user.type(title, 'KOM (ny)');
    await user.click(screen.getByRole('button', { name: 'Lagre' }));
    expect(await screen.findByText('Noen andre har endret dette siden du åpnet det (nå versjon 4).')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Hent siste versjon og behold endringene mine' }));
    expect(await screen.findByText(/Endringene dine er beholdt/)).toBeTruthy();
    expect((screen.getByLabelText(/^Tittel/) as HTMLInputElement).value).toBe('KOM (ny)');
    await user.click(screen.getByRole('button', { name: 'Lagre' }));
    expect(await screen.findByText('Tiltaket er oppdatert (versjon 5).')).toBeTruthy();
    const edits = sent.filter((s) => s.operationName === 'EditMeasure').map((s) => s.variables.input);
    expect(edits).toEqual([
      { id: 'm1', expectedVersion: 3, title: 'KOM (ny)' },
      { id: 'm1', expectedVersion: 4, title: 'KOM (ny)' },
    ]);
  });

  it('says so when nothing changed, and sends nothing', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<EditMeasureForm measure={measure} planId="hp-2011-2014" />, {
      viewer: 'coordinator',
      answers: { PlanGoals: goals },
    });
    await user.click(screen.getByRole('button', { name: 'Lagre' }));
    expect(screen.getByText('Du har ikke endret noe.')).toBeTruthy();
    expect(sent.filter((s) => s.operationName === 'EditMeasure')).toHaveLength(0);
  });

  it('keeps what was typed when the page goes away (an expired session, a reload) and comes back', async () => {
    const user = userEvent.setup();
    renderWithApp(<EditMeasureForm measure={measure} planId="hp-2011-2014" />, { viewer: 'coordinator', answers: { PlanGoals: goals } });
    await user.type(screen.getByLabelText(/^Beskrivelse/), 'Halvveis skrevet');
    // What a sign-in redirect does to the page; sessionStorage stays with the tab.
    const kept = { ...sessionStorage };
    cleanup();
    for (const [k, v] of Object.entries(kept)) sessionStorage.setItem(k, v as string);
    renderWithApp(<EditMeasureForm measure={measure} planId="hp-2011-2014" />, { viewer: 'coordinator', answers: { PlanGoals: goals } });
    expect((screen.getByLabelText(/^Beskrivelse/) as HTMLTextAreaElement).value).toBe('Halvveis skrevet');
  });
});
