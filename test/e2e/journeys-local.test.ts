import { describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, platformFor, script } from './platform.js';

/**
 * Every role's journeys in a real browser (Debian's chromium, driven by playwright-core), against the
 * platform as `npm start` runs it with development settings. web/e2e/journeys.ts fails on a console
 * error or warning and on any request that leaves loopback.
 */
const platform = platformFor('local');

describe('the web app in a browser, with development settings', () => {
  it('asks for the first page of / in three GraphQL requests sent together (the viewer, the plan, its progress), whoever opens it', async () => {
    const browser = await launchChromium();
    try {
      for (const as of ['viewer', 'coordinator', 'agency:nav', 'funder']) {
        const page = await browser.newPage();
        const operations: string[] = [];
        page.on('request', (r) => {
          if (new URL(r.url()).pathname === '/graphql')
            operations.push(String((JSON.parse(r.postData() ?? '{}') as { operationName?: string }).operationName));
        });
        await page.goto(`${platform.current.url}/?as=${as}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(operations.sort(), as).toEqual(['AppViewer', 'PlanDashboard', 'PlanProgress']);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('passes every journey with development settings', async () => {
    const out = await script('web/e2e/journeys.ts', { ...process.env, BASE_URL: platform.current.url, CHROMIUM });
    expect(out).toContain('every journey passed');
  }, 400_000);
});
