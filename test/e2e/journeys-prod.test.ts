import { describe, expect, it } from 'vitest';
import { CHROMIUM, platformFor, script } from './platform.js';

/**
 * Every role's journeys in a real browser against the platform as `npm start -- --stage prod` runs it:
 * trusted documents only, no introspection, no IDE.
 */
const platform = platformFor('prod');

describe('the web app in a browser, with production settings', () => {
  it('passes every journey with production settings: trusted documents only, no IDE', async () => {
    const out = await script('web/e2e/journeys.ts', { ...process.env, BASE_URL: platform.current.url, CHROMIUM });
    expect(out).toContain('every journey passed');
    const ide = await fetch(`${platform.current.url}/ide`);
    expect(await ide.text()).not.toContain('GraphiQL');
  }, 400_000);
});
