import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/i18n';
import { Link, matchPath, navigate, useLocation } from '../router/router';
import { PageHeading } from './Page';

function Pages() {
  const { pathname, search } = useLocation();
  return (
    <I18nProvider locale="nb">
      <Link href="/measures/m%201">Til tiltaket</Link>
      {pathname === '/' ? <p>Forsiden</p> : <PageHeading title="Tiltak">Tiltak {matchPath('/measures/:id', pathname)?.id}</PageHeading>}
      <p>{search.get('q')}</p>
    </I18nProvider>
  );
}

describe('the router', () => {
  it('matches bookmarkable paths and decodes their parameters', () => {
    expect(matchPath('/measures/:id', '/measures/hp-2011-2014-kom')).toEqual({ id: 'hp-2011-2014-kom' });
    expect(matchPath('/audit/:entityId', '/audit/a%23b/')).toEqual({ entityId: 'a#b' });
    expect(matchPath('/measures/:id', '/measures')).toBeNull();
  });

  it('navigates without a reload and puts focus on the new page heading', async () => {
    window.history.replaceState(null, '', '/');
    const user = userEvent.setup();
    render(<Pages />);
    await user.click(screen.getByRole('link', { name: 'Til tiltaket' }));
    const heading = screen.getByRole('heading', { level: 1, name: 'Tiltak m 1' });
    expect(document.activeElement).toBe(heading);
    expect(document.title).toBe('Tiltak – Samordning');
    act(() => navigate('/?q=shelters'));
    expect(screen.getByText('Forsiden')).toBeTruthy();
    expect(screen.getByText('shelters')).toBeTruthy();
  });
});
