import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { cleanKitRoot, kit } from '../support/kit';

/**
 * The HTML page of a run, opened as a student would: in a browser (Debian's
 * chromium, headless, no network, an empty profile). The screenshots are
 * kept in test/artifacts/ to look at.
 */
const kr = cleanKitRoot();
const ARTIFACTS = join(__dirname, '..', 'artifacts');
const profile = mkdtempSync(join(tmpdir(), 'kit-chromium-'));
let browser: BrowserContext;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Record a chapter, replay it into a page, open it; the trace events the recording holds. */
async function openChapter(id: string) {
  const recording = join(kr.root, `${id}.kitrec`);
  const html = join(kr.root, `${id}.html`);
  expect(kit(['chapter', id, '--record', recording], kr.env).status).toBe(0);
  expect(kit(['replay', recording, '--html', html], kr.env).status).toBe(0);
  const json = JSON.parse(kit(['replay', recording, '--json'], kr.env).stdout) as { trace: unknown[] };
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${html}`);
  return { page, events: json.trace.length, requests };
}

test('net: one timeline mark per trace event, the process tree with the namespace boundary, the network picture', async () => {
  const { page, events, requests } = await openChapter('net');
  expect(await page.locator('svg.timeline .mark').count()).toBe(events);
  const boundary = page.locator('.ns-boundary');
  await expect(boundary.count()).resolves.toBe(1);
  expect(await boundary.getAttribute('data-namespaces')).toMatch(/\bnet\b/);
  expect(await boundary.locator('.process').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('#processes > .process').count()).toBeGreaterThanOrEqual(2); // PID 1 ... kit
  expect(await page.locator('svg.network').textContent()).toMatch(/kit0 bridge.*eth0/s);
  expect(await page.locator('svg.network .dnat-label').textContent()).toMatch(/DNAT: dport 8080 → [\d.]+:80/);
  expect(await page.locator('#host .add').count()).toBeGreaterThan(0);
  const tip = await page.locator('svg.timeline .mark[data-syscall="clone"] title').textContent();
  expect(tip).toMatch(/^clone\(CLONE_NEWNS.*CLONE_NEWNET\|SIGCHLD\) = \d+\n# the container's first process/);
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]); // self-contained
  await page.screenshot({ path: join(ARTIFACTS, 'html-net.png'), fullPage: true });
});

test('pid: a failed call is a red mark; the story and what the run showed are on the page', async () => {
  const { page } = await openChapter('pid');
  expect(await page.locator('#story').textContent()).toContain('CLONE_NEWPID');
  expect(await page.locator('ul.claims li.held').count()).toBeGreaterThan(0);
  await page.screenshot({ path: join(ARTIFACTS, 'html-pid.png'), fullPage: true });
  const recording = join(kr.root, 'fail.kitrec');
  kit(['chapter', 'pid', '--record', recording, '--', 'no-such-command'], kr.env);
  const html = join(kr.root, 'fail.html');
  expect(kit(['replay', recording, '--html', html], kr.env).status).toBe(0);
  const failed = await browser.newPage();
  await failed.goto(`file://${html}`);
  expect(await failed.locator('svg.timeline .mark.error[data-syscall="execve"]').count()).toBe(1);
  expect(await failed.locator('svg.timeline .mark.error rect').evaluate((r) => getComputedStyle(r).fill)).toBe('rgb(221, 34, 34)');
});
