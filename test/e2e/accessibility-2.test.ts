import { accessibilitySuite } from './platform.js';

/**
 * Part 2 of 2 of the web app's pages in Debian's chromium: axe-core and the console on each (test/e2e/platform.ts).
 * accessibility-1.test.ts holds the other part: two files, so the two workers share the pages.
 */
accessibilitySuite(2, 2);
