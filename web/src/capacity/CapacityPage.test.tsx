import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { regions } from '../test/fixtures';
import { renderWithApp } from '../test/harness';
import CapacityPage from './CapacityPage';

const point = (period: string, capacity: number, occupied: number | null, reportingShelters = 2, demoShare = 0, occupiedMargin = 3) => ({
  __typename: 'CapacityPoint',
  period,
  region: null,
  reportingShelters,
  capacity,
  occupied,
  occupiedMargin: occupied === null ? null : occupiedMargin,
  utilization: occupied === null ? null : occupied / capacity,
  suppressed: occupied === null && reportingShelters > 0,
  demoShare,
});

describe('the capacity page', () => {
  it('gives the figures in a sentence and a table, and explains withheld and perturbed occupancy', async () => {
    renderWithApp(<CapacityPage />, {
      viewer: 'funder',
      answers: {
        Regions: regions(),
        CapacitySeries: {
          data: {
            capacityTimeline: [
              point('2013-Q1', 20, 12),
              point('2013-Q2', 22, null),
              point('2013-Q3', 24, 18, 2, 0, 0),
              point('2013-Q4', 0, null, 0),
            ],
          },
        },
      },
    });
    expect(
      await screen.findByText(
        'Fra 1. kvartal 2013 til 3. kvartal 2013: kapasiteten gikk fra 20 til 24 plasser. 1 av 3 perioder har skjermet belegg.',
      ),
    ).toBeTruthy();
    expect(screen.getByText(/Belegg er skjermet/)).toBeTruthy();
    // Small shelters' figures enter sums perturbed for everyone but the operator; each figure's margin is given.
    expect(screen.getByText(/forskjøvet med noen få plasser/)).toBeTruthy();
    expect(screen.getByText('±3')).toBeTruthy();
    expect(screen.getByText('nøyaktig')).toBeTruthy();
    expect(screen.getAllByText('Skjermet').length).toBeGreaterThanOrEqual(2);
    expect(screen.getByText('60 %')).toBeTruthy();
    // The chart is one image named by the same sentence.
    expect((await screen.findByRole('img')).getAttribute('aria-label')).toMatch(/^Fra 1. kvartal 2013/);
    expect(screen.queryByText(/Demodata/)).toBeNull();
  });

  it('explains no perturbation when every figure shown is exact', async () => {
    renderWithApp(<CapacityPage />, {
      viewer: 'funder',
      answers: {
        Regions: regions(),
        CapacitySeries: { data: { capacityTimeline: [point('2013-Q1', 20, 12, 2, 0, 0), point('2013-Q2', 22, 14, 2, 0, 0)] } },
      },
    });
    expect(await screen.findAllByText('nøyaktig')).toHaveLength(2);
    expect(screen.queryByText(/forskjøvet/)).toBeNull();
  });

  it('says so when a series rests partly on demo shelters', async () => {
    renderWithApp(<CapacityPage />, {
      viewer: 'funder',
      answers: {
        Regions: regions(),
        CapacitySeries: { data: { capacityTimeline: [point('2013-Q1', 20, 12, 2, 0.5), point('2013-Q2', 22, 14, 2, 0)] } },
      },
    });
    expect(await screen.findByText(/Demodata: opptil 50 % av botilbudene/)).toBeTruthy();
  });
});
