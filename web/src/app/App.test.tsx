import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LocalSession } from '../auth/session';
import { planDashboard, planProgress } from '../test/fixtures';
import { mockClient } from '../test/harness';
import { App } from './App';

const config = {
  auth: {
    mode: 'local' as const,
    roles: [
      { as: 'coordinator', label: 'Koordinator (JD)' },
      { as: 'agency:nav', label: 'Arbeids- og velferdsdirektoratet' },
    ],
  },
};

function tokenFetch() {
  return vi.fn(
    async () => new Response(JSON.stringify({ token: 't', expiresAt: new Date(Date.now() + 3600_000).toISOString() })),
  ) as unknown as typeof fetch;
}

describe('the app shell', () => {
  it('asks whom to act as, then shows the plan with the menu the role may use', async () => {
    window.history.replaceState(null, '', '/');
    const user = userEvent.setup();
    const fetchImpl = tokenFetch();
    const session = new LocalSession(config.auth.roles, fetchImpl, null);
    const { client } = mockClient({
      AppViewer: {
        data: {
          viewer: {
            __typename: 'Viewer',
            subject: 'local-agency:nav',
            roles: ['AGENCY_EDITOR'],
            agency: { __typename: 'Agency', id: 'nav', name: 'Arbeids- og velferdsdirektoratet' },
            canEditPlans: false,
            canManageAgencies: false,
            canReadAudit: true,
            canRegisterShelter: true,
            canCreateBudgetLine: true,
          },
        },
      },
      PlanDashboard: planDashboard({ coordinator: false }),
      PlanProgress: planProgress(),
    });
    render(<App config={config} session={session} client={client} />);
    expect(screen.getByRole('heading', { level: 1, name: 'Logg inn' })).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Rolle eller virksomhet'), 'agency:nav');
    await user.click(screen.getByRole('button', { name: 'Opptre som' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Handlingsplanen' })).toBeTruthy();
    expect(fetchImpl).toHaveBeenCalledWith('/local/token', expect.objectContaining({ body: '{"as":"agency:nav"}' }));
    const menu = screen.getByRole('navigation', { name: 'Hovedmeny' });
    expect(menu.textContent).toContain('Min virksomhet');
    expect(screen.getByText(/^Logget inn som Virksomhetsbruker – /)).toBeTruthy();
  });

  it('switches language to English and remembers it', async () => {
    window.history.replaceState(null, '', '/unknown-page');
    const user = userEvent.setup();
    const session = new LocalSession(config.auth.roles, tokenFetch(), null);
    await session.signIn('coordinator');
    const { client } = mockClient({
      AppViewer: {
        data: {
          viewer: {
            __typename: 'Viewer',
            subject: 'c',
            roles: ['COORDINATOR'],
            agency: null,
            canEditPlans: true,
            canManageAgencies: true,
            canReadAudit: true,
            canRegisterShelter: false,
            canCreateBudgetLine: true,
          },
        },
      },
    });
    render(<App config={config} session={session} client={client} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Fant ikke siden' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('samordning.locale')).toBe('en');
    expect(screen.getByRole('navigation', { name: 'Main menu' }).textContent).not.toContain('My agency');
  });
});
