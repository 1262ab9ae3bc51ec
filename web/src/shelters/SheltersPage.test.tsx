import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { regions } from '../test/fixtures';
import { renderWithApp } from '../test/harness';
import SheltersPage from './SheltersPage';

// `own`: what the API answers the viewer under test for `viewerCanUpdate` (its agency runs the shelter).
const shelter = (id: string, operator: string, occupied: number | null, own = false) => ({
  __typename: 'Shelter',
  id,
  name: `Huset ${id}`,
  region: 'Oslo',
  targetGroups: ['WOMEN'],
  services: ['SAFE_HOUSING'],
  viewerCanUpdate: own,
  operator: { __typename: 'Agency', id: operator, name: operator },
  latestCapacity: { __typename: 'CapacityReport', date: '2014-02-24', capacity: 10, occupied, suppressed: occupied === null },
});
/** The list as the API answers it: for the operator of s1 (`operator`), or for anyone else. */
const answersFor = (operator: boolean) => ({
  Regions: regions(),
  AgencyDirectory: { data: { agencies: [{ __typename: 'Agency', id: 'demo-krisesenter-vest', name: 'Krisesenteret', kind: 'NGO' }] } },
  ShelterList: {
    data: {
      shelters: {
        __typename: 'ShelterConnection',
        edges: [
          { __typename: 'ShelterEdge', node: shelter('s1', 'demo-krisesenter-vest', 3, operator) },
          { __typename: 'ShelterEdge', node: shelter('s2', 'other', null) },
        ],
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
      },
    },
  },
});
const answers = answersFor(false);

afterEach(() => window.history.replaceState(null, '', '/'));

describe('the shelters page', () => {
  it('filters by what the address says, so a filtered list can be bookmarked', async () => {
    window.history.replaceState(null, '', '/shelters?county=Oslo&service=SAFE_HOUSING&target=WOMEN');
    const { sent } = renderWithApp(<SheltersPage />, { viewer: 'funder', answers });
    await screen.findByText('Huset s1');
    expect(sent.find((s) => s.operationName === 'ShelterList')?.variables).toEqual({
      filter: { region: 'Oslo', service: 'SAFE_HOUSING', targetGroup: 'WOMEN' },
      first: 20,
    });
  });

  it('offers the counties the API lists, and no others', async () => {
    renderWithApp(<SheltersPage />, { viewer: 'funder', answers: { ...answers, Regions: regions(['Oslo', 'Finnmark']) } });
    const county = await screen.findByRole('option', { name: 'Finnmark' });
    const options = [...(county.closest('select')?.options ?? [])].map((o) => o.value);
    expect(options).toEqual(['', 'Oslo', 'Finnmark']);
  });

  it('shows withheld occupancy as withheld, and offers a funder nothing to change', async () => {
    renderWithApp(<SheltersPage />, { viewer: 'funder', answers });
    expect(await screen.findByText('10 plasser; belegg skjermet (24. feb. 2014)')).toBeTruthy();
    expect(screen.getByText('3 av 10 plasser i bruk (24. feb. 2014)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Administrer' })).toBeNull();
    expect(screen.queryByText('Registrer botilbud')).toBeNull();
  });

  it('lets an operator register shelters and manage only its own', async () => {
    renderWithApp(<SheltersPage />, { viewer: 'operator', answers: answersFor(true) });
    await screen.findByText('Huset s1');
    expect(screen.getByText('Registrer botilbud')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Administrer' })).toHaveLength(1);
    expect(screen.getByText('Drives av din virksomhet')).toBeTruthy();
  });
});
