// Shared by the browser test (console.test.mjs) and the console page-load benchmark
// (bench/respond_console.mjs): launching Debian's headless Chromium through playwright-core (from
// web/node_modules), collecting page errors, and timing one page load.
//
// A page load is timed from the start of the navigation to the end of the last request
// (document, bundle and every API call), from the page's own Navigation and Resource Timing —
// Playwright's "networkidle" itself only fires after 500 ms of quiet.
import { createRequire } from 'node:module';
import path from 'node:path';

// Returns {browser, context, page, problems}; `problems` collects script errors, CSP violations
// and console errors other than the 401/404 a console legitimately meets.
export async function launchConsole({ sourceDir, chromium: executablePath }) {
  const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: executablePath || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|404)/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  return { browser, context, page, problems };
}

// Navigates to base + url, waits until `ready` (a selector) is visible and the network is idle,
// and returns {ms, requests}: navigation start to the end of the last request.
export async function timePageLoad(page, base, url, ready) {
  await page.goto(base + url, { waitUntil: 'networkidle' });
  if (ready) await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const ends = performance.getEntriesByType('resource').map((r) => r.responseEnd);
    return { idle: Math.max(nav.loadEventEnd, ...ends), requests: ends.length + 1 };
  });
  return { ms: Math.round(t.idle), requests: t.requests };
}
