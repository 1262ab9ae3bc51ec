import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { LOCAL_ROLES } from './roles.js';

const DEFAULT_QUERY = `# Samordning: the coordination platform of the action plan against human trafficking (2011–2014).
# Pick a role above: every request of every tab is sent with a fresh token of that role.
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
 * The role bar's script: it asks the local issuer (`POST /local/token`) for a token of the picked
 * role and puts it on every request the IDE makes to /graphql. Switching roles changes only the
 * token, so the IDE keeps its tabs, and the page itself holds no token and can be cached.
 */
const ROLE_SCRIPT = `(() => {
  const state = { token: null, expires: 0, pending: null, restored: false };
  function role() {
    const select = document.getElementById('samordning-role');
    if (!state.restored) {
      state.restored = true;
      const stored = localStorage.getItem('samordning-ide-role');
      if ([...select.options].some((o) => o.value === stored)) select.value = stored;
      select.addEventListener('change', () => {
        localStorage.setItem('samordning-ide-role', select.value);
        state.pending = refresh();
      });
    }
    return select.value;
  }
  async function refresh() {
    const res = await send('/local/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: role() }) });
    const body = await res.json();
    state.token = body.token;
    state.expires = Date.parse(body.expiresAt) - 60000;
  }
  const send = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    if (!new URL(url, location.href).pathname.endsWith('/graphql')) return send(input, init);
    if (!state.pending || (state.token && Date.now() > state.expires)) state.pending = refresh();
    await state.pending;
    const headers = new Headers(init.headers || {});
    headers.set('authorization', 'Bearer ' + state.token);
    return send(input, { ...init, headers });
  };
  document.addEventListener('DOMContentLoaded', () => role());
})();`;

/**
 * GraphiQL with every asset inlined from the installed package (no CDN), and a bar to pick the role
 * whose token every request carries. The same text for everyone: cacheable.
 */
export function renderIde(): string {
  const page = renderGraphiQL({
    title: 'Samordning GraphQL',
    endpoint: '/graphql',
    defaultQuery: DEFAULT_QUERY,
    shouldPersistHeaders: false,
  } as Parameters<typeof renderGraphiQL>[0]);
  const options = LOCAL_ROLES.map((r) => `<option value="${escapeHtml(r.as)}">${escapeHtml(r.label)}</option>`).join('');
  const bar = `<div style="font:14px system-ui;padding:6px 12px;background:#0b2e4f;color:#fff;display:flex;gap:8px;align-items:center">
  <strong>Samordning</strong><span>local</span><a href="/" style="color:#fff;margin-left:16px">App</a>
  <label for="samordning-role" style="margin-left:auto">Act as</label>
  <select id="samordning-role">${options}</select></div>`;
  return page
    .replace('<div id="root"></div>', `${bar}<div id="root" style="height:calc(100vh - 40px)"></div>`)
    .replace('<head>', `<head><script>${ROLE_SCRIPT}</script>`);
}
