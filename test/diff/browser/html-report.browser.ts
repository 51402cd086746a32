import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffEnvironments } from '../../../src/diff/environments';
import { renderDiffHtml } from '../../../src/diff/format-html';
import { renderDiffJson } from '../../../src/diff/format-json';
import { buildModel } from '../../../src/model/build';
import { parseSpecs } from '../../../src/spec/load';
import { synthesize } from '../../../src/synth/synthesize';
import { ROOT, repoSpecFiles } from '../../helpers';

/** Where the report, its JSON and the screenshot are left for CI to keep as artifacts. */
const OUT = path.resolve(process.env.DIFF_REPORT_ARTIFACTS ?? path.join(ROOT, '.tmp/diff-report'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

describe('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let json: {
    summary: Record<string, number> & { risks: Record<string, number> };
    comparisons: { changes: { risks: unknown[] }[] }[];
  };
  const html = path.join(OUT, 'diff-dev-prod.html');

  beforeAll(async () => {
    // No skip: without the browser this suite fails, it does not pass empty.
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} not found: apt-get install chromium (or set CHROMIUM)`);
    const model = buildModel(parseSpecs(repoSpecFiles()));
    const report = diffEnvironments(model, synthesize(model), 'dev', 'prod');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(html, renderDiffHtml(report));
    writeFileSync(path.join(OUT, 'diff-dev-prod.json'), renderDiffJson(report));
    json = JSON.parse(readFileSync(path.join(OUT, 'diff-dev-prod.json'), 'utf8'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // CI runs as root, where Chromium's sandbox cannot start.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });

  afterAll(async () => browser?.close());

  it('renders the summary cards with the JSON counts, visibly', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('pageerror', (e) => failed.push(String(e)));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    const cards = await page.$$eval('[data-summary]', (els) =>
      els.map((e) => {
        const box = e.getBoundingClientRect();
        return {
          key: e.getAttribute('data-summary')!,
          text: (e as unknown as { innerText: string }).innerText,
          width: box.width,
          height: box.height,
        };
      }),
    );
    for (const key of ['added', 'removed', 'changed', 'unchanged', 'identityOnly', 'flagged']) {
      const card = cards.find((c) => c.key === key)!;
      expect(Number(card.text), key).toBe(json.summary[key]);
      expect(card.width * card.height, `${key} is laid out`).toBeGreaterThan(0);
    }
    const rendered = await page.$$eval('details.change', (els) => els.length);
    expect(rendered).toBe(json.comparisons.flatMap((c) => c.changes).length);
    const flagRows = await page.$$eval('#flags tr[data-risk]', (els) => els.length);
    expect(flagRows).toBe(Object.values(json.summary.risks).reduce((a, b) => a + b, 0));
    expect(failed).toEqual([]);
    await page.close();
  });

  it('hides unflagged changes when the reader asks for flagged ones only', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    await page.click('#flagged-only');
    const visible = await page.$$eval(
      'details.change',
      (els) =>
        els.filter((e) => (e as unknown as { offsetHeight: number }).offsetHeight > 0).length,
    );
    expect(visible).toBe(json.summary.flagged);
    await page.close();
  });

  it('produces a screenshot', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    const file = path.join(OUT, 'diff-dev-prod.png');
    await page.screenshot({ path: file, fullPage: false });
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // IHDR: width and height are the viewport's.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 900]);
    expect(png.length).toBeGreaterThan(20_000);
    await page.close();
  });
});
