import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/** The roles a person can pick in the IDE: each gets a freshly issued local token. */
export const IDE_ROLES = [
  { id: 'coordinator', groups: ['coordinator'], label: 'Coordinator (jd)' },
  { id: 'agency:nav', groups: ['agency:nav'], label: 'NAV staff' },
  { id: 'agency:kirkens-bymisjon', groups: ['agency:kirkens-bymisjon'], label: 'Kirkens Bymisjon staff' },
  { id: 'funder', groups: ['funder'], label: 'Funder' },
  { id: 'viewer', groups: ['viewer'], label: 'Viewer' },
] as const;

const DEFAULT_QUERY = `# Samordning: the coordination platform of the action plan against human trafficking (2011–2014).
# Pick a role above; its token is already in the headers below.
query PlanOverview {
  actionPlan(id: "hp-2011-2014") {
    title
    measureCount
    goals { number title }
    measures(first: 10) { totalCount edges { node { id number title status lead { name } } } }
  }
}
`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * GraphiQL with every asset inlined from the installed package (no CDN), and a bar to pick the
 * role whose token the editor sends.
 */
export function renderIde(roleId: string, token: string): string {
  const page = renderGraphiQL({
    title: 'Samordning GraphQL',
    endpoint: '/graphql',
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2),
    shouldPersistHeaders: false,
  } as Parameters<typeof renderGraphiQL>[0]);
  const options = IDE_ROLES.map(
    (r) => `<option value="${escapeHtml(r.id)}"${r.id === roleId ? ' selected' : ''}>${escapeHtml(r.label)}</option>`,
  ).join('');
  const bar = `<form style="font:14px system-ui;padding:6px 12px;background:#0b2e4f;color:#fff;display:flex;gap:8px;align-items:center">
  <strong>Samordning</strong><span>local</span><label for="role" style="margin-left:auto">Act as</label>
  <select id="role" name="role" onchange="this.form.submit()">${options}</select></form>`;
  return page.replace('<div id="root"></div>', `${bar}<div id="root" style="height:calc(100vh - 40px)"></div>`);
}
