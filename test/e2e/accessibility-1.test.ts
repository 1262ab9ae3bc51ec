import { accessibilitySuite } from './platform.js';

/**
 * Part 1 of 2 of the web app's pages in Debian's chromium: axe-core and the console on each (test/e2e/platform.ts).
 * accessibility-2.test.ts holds the other part: two files, so the two workers share the pages.
 */
accessibilitySuite(1, 2);
