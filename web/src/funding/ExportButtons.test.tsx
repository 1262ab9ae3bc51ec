import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../auth/session';
import { renderWithApp } from '../test/harness';
import ExportButtons from './ExportButtons';
import { fileNameFrom } from './exportFile';

/** A signed-in session whose token is known, and whose renewal after a 401 gives nothing. */
const session = (token = 'token-1'): Session => ({
  mode: 'local',
  identity: () => 'funder',
  getToken: async () => token,
  renew: async () => null,
  signOut: async () => {},
});

let saved: { href: string; download: string }[];
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  saved = [];
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  // jsdom has no object URLs and does not download: record what would be saved.
  URL.createObjectURL = vi.fn(() => 'blob:export-1');
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ href: this.href, download: this.download });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const csv = [
  { dataset: 'allocations' as const, params: { fiscalYear: 2013, budgetLineId: null } },
  { dataset: 'funding-summary' as const, params: { planId: 'hp-2011-2014', groupBy: 'GOAL' } },
];

describe('download buttons', () => {
  it('fetch with the bearer token, the filters and the dialect, and save under the server’s file name', async () => {
    const user = userEvent.setup();
    fetchMock.mockResolvedValue(
      new Response('\ufeffid;beløp\r\n', {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="allocations.csv"; filename*=UTF-8''tildelinger-2013%C3%B8.csv`,
        },
      }),
    );
    renderWithApp(<ExportButtons csv={csv} iatiPlanId="hp-2011-2014" />, { viewer: 'funder', session: session() });
    await user.selectOptions(screen.getByLabelText('Format for CSV'), 'excel-nb');
    await user.click(screen.getByRole('button', { name: 'Tildelinger (CSV)' }));
    expect(await screen.findByText('Lastet ned tildelinger-2013ø.csv.')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/exports/allocations.csv?fiscalYear=2013&dialect=excel-nb');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer token-1');
    expect(saved).toEqual([{ href: 'blob:export-1', download: 'tildelinger-2013ø.csv' }]);
  });

  it('fetches the IATI file of the plan, standard CSV without a dialect parameter', async () => {
    const user = userEvent.setup();
    fetchMock.mockImplementation(async () => new Response('<iati-activities/>', { status: 200 }));
    renderWithApp(<ExportButtons csv={csv} iatiPlanId="hp-2011-2014" />, { viewer: 'funder', session: session() });
    await user.click(screen.getByRole('button', { name: 'Aktiviteter (IATI XML)' }));
    expect(await screen.findByText('Lastet ned iati-activities-hp-2011-2014.xml.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sammendrag (CSV)' }));
    expect(await screen.findByText('Lastet ned funding-summary.csv.')).toBeTruthy();
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
      '/exports/iati-activities/hp-2011-2014.xml',
      '/exports/funding-summary.csv?planId=hp-2011-2014&groupBy=GOAL',
    ]);
  });

  it.each([
    [401, 'Du er ikke lenger innlogget. Logg inn på nytt og prøv igjen.'],
    [403, 'Du har ikke tilgang til denne eksporten.'],
    [404, 'Denne eksporten er ikke tilgjengelig ennå (svar 404).'],
    [413, 'Filen blir for stor til å lastes ned i ett.'],
    [500, 'Tjenesten svarte med en feil (svar 500). Prøv igjen om litt.'],
  ])('says what a %i means, and saves nothing', async (status, message) => {
    const user = userEvent.setup();
    fetchMock.mockImplementation(async () => new Response('', { status }));
    renderWithApp(<ExportButtons csv={csv} />, { viewer: 'funder', session: session() });
    await user.click(screen.getByRole('button', { name: 'Tildelinger (CSV)' }));
    expect((await screen.findByRole('alert')).textContent).toContain(message);
    expect(saved).toEqual([]);
  });

  it('shows the filter a 400 names', async () => {
    const user = userEvent.setup();
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ message: 'fiscalYear must be a year, not "x".' }), { status: 400 }));
    renderWithApp(<ExportButtons csv={csv} />, { viewer: 'funder', session: session() });
    await user.click(screen.getByRole('button', { name: 'Tildelinger (CSV)' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Tjenesten godtok ikke filtrene for eksporten.');
    expect(alert.textContent).toContain('fiscalYear must be a year, not "x".');
  });

  it('reads the file names of Content-Disposition', () => {
    expect(fileNameFrom('attachment; filename="a b.csv"')).toBe('a b.csv');
    expect(fileNameFrom('attachment; filename=plain.csv')).toBe('plain.csv');
    expect(fileNameFrom(`attachment; filename="x.csv"; filename*=UTF-8''%C3%A6%C3%B8%C3%A5.csv`)).toBe('æøå.csv');
    expect(fileNameFrom('attachment; filename="../../etc/passwd"')).toBe('.._.._etc_passwd');
    expect(fileNameFrom('attachment')).toBeNull();
    expect(fileNameFrom(null)).toBeNull();
  });
});
