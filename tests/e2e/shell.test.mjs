// The built app boots in Chromium and the shell reacts to clicks: text that
// only the running Yew app can produce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, screenshot } from './harness.mjs';

let server, browser;
setup((s, b) => {
  server = s;
  browser = b;
});

test('the app shell renders from Rust state', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(server.url);
  await page.waitForSelector('#empty-state');
  assert.equal(await page.textContent('h1'), 'OffsetLab');
  assert.match(await page.textContent('#empty-state h2'), /Nothing is running yet/);
  // Offline is the default mode; Live can always be chosen (its panel says
  // whether a gateway answers).
  assert.equal(await page.getAttribute('#mode-switch-0', 'aria-checked'), 'true');
  assert.equal(await page.isDisabled('#mode-switch-1'), false);
  await screenshot(page, 'shell-en');
  assert.deepEqual(page.errors, []);
});

test('the language switch changes every text and is remembered', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(server.url);
  await page.click('#lang-switch-1');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.match(await page.textContent('#empty-state h2'), /아직 실행 중인 것이 없습니다/);
  assert.equal(await page.getAttribute('#lang-switch-1', 'aria-checked'), 'true');
  assert.match(await page.textContent('#mode-switch-0'), /오프라인/);
  await screenshot(page, 'shell-ko');
  await page.reload();
  await page.waitForSelector('#empty-state');
  assert.match(await page.textContent('#empty-state h2'), /아직 실행 중인 것이 없습니다/);
  assert.deepEqual(page.errors, []);
});

test('a Korean browser starts in Korean', async () => {
  const page = await newPage(browser, { locale: 'ko-KR' });
  await page.goto(server.url);
  await page.waitForSelector('#empty-state');
  assert.match(await page.textContent('.tagline'), /컨슈머/);
});

test('the shell fits a 375 px phone without horizontal scrolling', async () => {
  const page = await newPage(browser, { viewport: { width: 375, height: 740 }, locale: 'en-US' });
  await page.goto(server.url);
  await page.waitForSelector('#empty-state');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await screenshot(page, 'shell-phone');
});
