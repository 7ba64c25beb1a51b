// Browser test of the console's Samples page: drives Debian's headless Chromium with
// playwright-core (from web/node_modules) against the `mamori serve` that
// tests/integration/web_samples.sh set up (sample analysis on, 1 MiB limit, an operator, and a
// finished sample XSS_ID whose report is full of markup). Prints each page's load time but
// asserts nothing on timing.
//
// Environment: MAMORI_URL, MAMORI_SOURCE_DIR, CHROMIUM, MAMORI_USER, MAMORI_PASSWORD, SAMPLE (a
// built corpus sample), XSS_ID, WORK; SHOTS (a folder: full-page screenshots of the pages).
import fs from 'node:fs';
import path from 'node:path';
import { launchConsole, timePageLoad } from './harness.mjs';

const env = process.env;
const base = env.MAMORI_URL;
const timings = [];
let step = '';

function fail(msg) {
  throw new Error(`${step}: ${msg}`);
}

const { browser, page, problems } = await launchConsole({ sourceDir: env.MAMORI_SOURCE_DIR, chromium: env.CHROMIUM });

async function load(name, url, ready) {
  step = name;
  const t = await timePageLoad(page, base, url, ready);
  timings.push([name, t.ms]);
  console.log(`timing: ${name.padEnd(20)} ${String(t.ms).padStart(5)} ms  ${String(t.requests).padStart(2)} requests  (${url})`);
}

async function expectText(locator, text, timeout) {
  try {
    await page.locator(locator).filter({ hasText: text }).first().waitFor({ timeout });
  } catch {
    const body = (await page.locator('body').innerText()).slice(0, 2000);
    fail(`expected ${locator} to show "${text}"; page shows:\n${body}`);
  }
}

// Nothing from a report may have become markup or run.
async function expectNoInjection() {
  const r = await page.evaluate(() => ({
    xss: window.__xss,
    elements: document.querySelectorAll('main script, main img, main [onerror]').length,
  }));
  if (r.xss !== undefined) fail(`a script from the report ran (window.__xss = ${r.xss})`);
  if (r.elements) fail(`${r.elements} element(s) from the report's markup are in the page`);
}

const upload = (name, buffer) =>
  page.locator('[data-testid=sample-upload] input[type=file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });

try {
  // --- log in as an operator ----------------------------------------------------------------------
  await load('login page', '/ui/samples', 'form input[name=username]');
  step = 'log in';
  await page.fill('input[name=username]', env.MAMORI_USER);
  await page.fill('input[name=password]', env.MAMORI_PASSWORD);
  await page.click('button[type=submit]');
  await expectText('[data-testid=user]', env.MAMORI_USER);

  // --- refused uploads ------------------------------------------------------------------------------
  await load('samples', '/ui/samples', '[data-testid=sample-upload]');
  step = 'empty upload';
  await upload('empty.exe', Buffer.alloc(0));
  await page.click('button:has-text("Upload for analysis")');
  await expectText('[data-testid=sample-upload] [role=alert]', 'refused the file');
  step = 'oversize upload';
  await upload('big.exe', Buffer.alloc((1 << 20) + 4096, 0x41));
  await page.click('button:has-text("Upload for analysis")');
  // 413 — or, when the server closed the connection before the browser sent the body, the
  // "cut off" message; both name the limit.
  await expectText('[data-testid=sample-upload] [role=alert]', 'limit');

  // --- upload a corpus sample; the list refreshes by itself until it is done -----------------------
  step = 'upload';
  // The name is shown as text: entities in it stay as typed (the server drops < > " from names).
  const name = "file_ops &lt;b&gt;x&amp;y 'q'.exe";
  await upload(name, fs.readFileSync(env.SAMPLE));
  await page.click('button:has-text("Upload for analysis")');
  await page.locator('[data-testid=upload-accepted] a').waitFor();
  const href = await page.locator('[data-testid=upload-accepted] a').getAttribute('href');
  const id = href.split('/').pop();
  step = 'analysis';
  const row = page.locator('[data-testid=sample-row]').filter({ has: page.locator(`a[href="/ui/samples/${id}"]`) });
  await row.locator('.badge.state-done, .badge.state-failed').waitFor({ timeout: 180000 });
  const status = (await row.locator('.badge').first().innerText()).trim();
  if (status !== 'done') fail(`sample #${id} is ${status}`);
  const shown = await row.locator('td').nth(1).innerText();
  if (shown.trim() !== name) fail(`the list shows the name as "${shown}", not "${name}"`);

  // --- the report -----------------------------------------------------------------------------------
  step = 'report';
  const res = await page.request.get(`${base}/api/v1/samples/${id}/report`);
  if (!res.ok()) fail(`GET report: HTTP ${res.status()}`);
  const report = await res.json();
  const write = report.events.find((e) => e.kind === 'file' && e.op === 'write');
  if (!write) fail('the report has no file write');
  await row.locator(`a[href="/ui/samples/${id}"]`).first().click();
  await page.locator('[data-testid=behaviour]').waitFor();
  await load('sample detail', `/ui/samples/${id}`, '[data-testid=behaviour]');
  const title = (await page.locator('.page-head h1').innerText()).trim();
  if (title !== name) fail(`the page title is "${title}", not "${name}"`);
  await expectText('[data-testid=events-file] tr', write.path);
  await expectText('[data-testid=end-reason]', report.run.end_reason);
  await expectText('dl.kv dd', report.sample.md5);
  if (env.SHOTS) await page.screenshot({ path: path.join(env.SHOTS, 'sample-detail.png'), fullPage: true });

  // --- downloads ------------------------------------------------------------------------------------
  step = 'IOC download';
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-iocs-txt]')]);
  const iocs = fs.readFileSync(await dl.path(), 'utf8');
  if (!iocs.includes(report.sample.sha256)) fail(`the IOC list lacks the sha256:\n${iocs}`);
  if (!iocs.includes(write.path)) fail(`the IOC list lacks the written file ${write.path}:\n${iocs}`);
  if (dl.suggestedFilename() !== `${report.sample.sha256}.iocs.txt`) fail(`download named ${dl.suggestedFilename()}`);
  step = 'report download';
  const [rdl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-report]')]);
  const downloaded = JSON.parse(fs.readFileSync(await rdl.path(), 'utf8'));
  if (downloaded.sample.sha256 !== report.sample.sha256) fail('the downloaded report is another sample');

  // --- a hostile report is text ---------------------------------------------------------------------
  step = 'hostile report';
  const mark = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
  await load('samples (list)', '/ui/samples', '[data-testid=samples]');
  await expectText('[data-testid=sample-row] td', mark);
  if (env.SHOTS) await page.screenshot({ path: path.join(env.SHOTS, 'samples.png'), fullPage: true });
  await expectNoInjection();
  await load('sample detail (xss)', `/ui/samples/${env.XSS_ID}`, '[data-testid=behaviour]');
  await expectText('.page-head h1', mark);
  await expectText('[data-testid=events-file] td', mark);
  await expectText('[data-testid=events-mutex] td', mark);
  await expectText('ul.ptree', mark);
  await expectText('[data-testid=unimplemented] td', mark);
  await expectNoInjection();
  if (env.SHOTS) await page.screenshot({ path: path.join(env.SHOTS, 'sample-detail-xss.png'), fullPage: true });

  // The refused uploads above log their 400 and 413 (or the cut connection) as console errors.
  const real = problems.filter((p) => !/status of (400|413)|ERR_CONNECTION_(RESET|CLOSED|ABORTED)/.test(p));
  if (real.length) {
    step = 'console';
    fail(real.join('\n'));
  }
  const total = timings.reduce((a, [, ms]) => a + ms, 0);
  console.log(`timing: ${timings.length} page loads, mean ${Math.round(total / timings.length)} ms, max ${Math.max(...timings.map(([, ms]) => ms))} ms`);
  console.log('browser test ok');
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  if (problems.length) console.error(problems.join('\n'));
  try {
    await page.screenshot({ path: path.join(env.WORK || '/tmp', 'web-samples-failure.png'), fullPage: true });
    console.error(`screenshot: ${path.join(env.WORK || '/tmp', 'web-samples-failure.png')}`);
  } catch {}
  process.exitCode = 1;
} finally {
  await browser.close();
}
