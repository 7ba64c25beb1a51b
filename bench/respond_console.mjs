// Console page loads on the demo store (issue 11: "console pages under 200 ms"): logs in, loads
// each page once to warm up, then RUNS times in rotation, and prints per page the median, p95
// and max of the load time (tests/browser/harness.mjs: navigation start to the end of the last
// request — document, bundle and API calls), as a Markdown table, and JSON to OUT when set.
// Run by bench/respond_figures.sh against the server `bench/respond_latency.py api
// --keep-serving` prepared. Nothing is asserted on timing.
//
// Environment: MAMORI_URL, MAMORI_SOURCE_DIR, CHROMIUM, MAMORI_USER, MAMORI_PASSWORD,
// DETECTION_ID, LOOKUP_VALUE, SAMPLE_ID (optional: a finished sample), RUNS (default 20), OUT.
import fs from 'node:fs';
import path from 'node:path';
import { launchConsole, timePageLoad } from '../tests/browser/harness.mjs';

const env = process.env;
const base = env.MAMORI_URL;
const runs = Number(env.RUNS || 20);
const pages = [
  ['dashboard', '/ui', 'h2:has-text("Top sources")'],
  ['detections', '/ui/detections', '[data-testid=detections]'],
  ['detection detail', `/ui/detections/${env.DETECTION_ID}`, '[data-testid=evidence]'],
  ['lookup (listed value)', `/ui/lookup?q=${encodeURIComponent(env.LOOKUP_VALUE)}`, '[data-testid=history]'],
  ['recommendations', '/ui/queue', '[data-testid=recommendation]'],
  ['actions in force', '/ui/actions?state=active,pending', '[data-testid=actions]'],
  ['feeds', '/ui/feeds', '[data-testid=feeds]'],
  ['playbooks', '/ui/playbooks', 'h1:has-text("Playbooks")'],
  ['audit log', '/ui/audit', 'h1:has-text("Audit log")'],
  ['samples', '/ui/samples', 'h1:has-text("Malware samples")'],
];
// A finished sample's report page, when the store has one (SAMPLE_ID).
if (env.SAMPLE_ID) pages.push(['sample detail', `/ui/samples/${env.SAMPLE_ID}`, '[data-testid=behaviour]']);

const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.max(0, Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1))];
};

const { browser, page, problems } = await launchConsole({ sourceDir: env.MAMORI_SOURCE_DIR, chromium: env.CHROMIUM });
const results = {};
try {
  if (env.MAMORI_USER) {
    const r = await page.request.post(`${base}/api/v1/session`, {
      data: { username: env.MAMORI_USER, password: env.MAMORI_PASSWORD },
    });
    if (!r.ok()) throw new Error(`log in: HTTP ${r.status()}`);
  }
  for (const [name, url, ready] of pages) await timePageLoad(page, base, url, ready);  // warm-up
  for (let i = 0; i < runs; i++) {
    for (const [name, url, ready] of pages) {
      const t = await timePageLoad(page, base, url, ready);
      (results[name] ??= { url, ms: [], requests: t.requests }).ms.push(t.ms);
    }
  }
  console.log(`| page | requests | median | p95 | max | (${runs} loads each) |`);
  console.log('|---|---|---|---|---|---|');
  for (const [name, r] of Object.entries(results)) {
    r.median = pct(r.ms, 50);
    r.p95 = pct(r.ms, 95);
    r.max = Math.max(...r.ms);
    console.log(`| ${name} | ${r.requests} | ${r.median} ms | ${r.p95} ms | ${r.max} ms | \`${r.url}\` |`);
  }
  if (problems.length) console.log(`problems: ${problems.join('; ')}`);
  if (env.OUT) fs.writeFileSync(env.OUT, JSON.stringify({ runs, pages: results, problems }, null, 1));
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  try {
    await page.screenshot({ path: path.join(path.dirname(env.OUT || '/tmp/x'), 'console-failure.png') });
  } catch {}
  process.exitCode = 1;
} finally {
  await browser.close();
}
