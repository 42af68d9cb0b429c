// The release build's .wasm is split in two (xtask/src/split.rs): a page
// draws its first screen (the scenario menu, a scenario embedded or linked)
// from the first module and fetches the rest once started; a live-mode link
// fetches both and starts when both are there. A part of the rest used
// before it has arrived is loaded on the spot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, DIST } from './harness.mjs';
import { builtInScenarios, scenarioScreens, shown, use } from './first-screens.mjs';

let server, browser;
setup((s, b) => {
  server = s;
  browser = b;
});

/** The page's requests for .wasm files, in order: [file, how it was asked for]. */
function wasmRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) seen.push([path.endsWith('.rest.wasm') ? 'rest' : 'first', r.resourceType()]);
  });
  return seen;
}

/** Live mode connects to the page's own /ws, which this static server lacks. */
const withoutGateway = (errors) => errors.filter((e) => !/^WebSocket connection to .*\/ws' failed/.test(e));

test('the page starts from the first module, then fetches the rest once', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  const seen = wasmRequests(page);
  await page.goto(server.url);
  await page.waitForSelector('#scenario-menu');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.rest.wasm') && e.responseEnd > 0));
  await page.click('#scenario-menu [data-scenario="seek"]');
  await page.waitForSelector('#logs');
  await page.click('#mode-switch-1');
  await page.waitForSelector('#live-panel');
  assert.deepEqual(seen, [['first', 'other'], ['rest', 'fetch']], 'each module once, the first one first (preloaded), the rest in the background');
  assert.deepEqual(withoutGateway(page.errors), []);
});

test('the menu in Korean (a Korean browser, or ?lang=ko) shows before the rest has arrived', async () => {
  for (const [query, locale] of [['?lang=ko', 'en-US'], ['', 'ko-KR']]) {
    const page = await newPage(browser, { locale });
    const seen = wasmRequests(page);
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    // The rest is held until the menu has shown: a loader that waited for
    // it would never show the menu, and the test would time out.
    await page.route('**/*.rest.wasm', async (route) => {
      if (route.request().resourceType() === 'fetch') await held;
      await route.continue();
    });
    await page.goto(server.url + query);
    await page.waitForSelector('#scenario-menu');
    assert.match(await page.textContent('#scenario-menu'), /[가-힣]/);
    release();
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.rest.wasm') && e.responseEnd > 0));
    assert.deepEqual(seen, [['first', 'other'], ['rest', 'fetch']], `${query || locale}: the Korean menu needs nothing from the rest`);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('links open without loading anything on the spot (a live-mode link waits for both modules)', async () => {
  for (const [query, ready] of [['?scenario=seek&t=3000', '#logs [data-partition]'], ['?present=1', '#scenario-menu'], ['?live=1', '#live-panel']]) {
    const page = await newPage(browser, { locale: 'en-US' });
    const seen = wasmRequests(page);
    // A slow network: the rest arrives a second after it is asked for.
    await page.route('**/*.rest.wasm', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await page.goto(server.url + query);
    await page.waitForSelector(ready, { state: 'attached' });
    if (query.includes('seek')) assert.equal(await page.textContent('#scenario-name'), 'seek(): read from an offset');
    await page.waitForTimeout(500);
    assert.deepEqual(seen, [['first', 'other'], ['rest', 'fetch']], query);
    assert.deepEqual(withoutGateway(page.errors), []);
    await page.close();
  }
});

test('every built-in scenario, embedded or linked, shows and plays from the first module alone', async () => {
  for (const screen of scenarioScreens(await builtInScenarios(DIST))) {
    const page = await newPage(browser, { locale: screen.locale });
    const seen = wasmRequests(page);
    // The background fetch never answers and a synchronous request fails, so
    // code from the rest would put up the load-error banner (a console
    // error), and data from it would read as zeros.
    await page.route('**/*.rest.wasm', (route) => (route.request().resourceType() === 'fetch' ? undefined : route.abort()));
    await page.goto(server.url + screen.query);
    await shown(page);
    await page.waitForTimeout(500);
    const text = await page.innerText('body');
    await use(page, screen, 1);
    assert.deepEqual(page.errors, [], screen.query);
    assert.deepEqual(seen, [['first', 'other'], ['rest', 'fetch']], screen.query);
    await page.context().close();
    if (screen.embedded) continue;
    // The same moment with the rest loaded reads the same: no string or
    // table the screen shows was left to the rest.
    const reference = await newPage(browser, { locale: screen.locale });
    await reference.goto(server.url + screen.query);
    await shown(reference);
    await reference.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.rest.wasm') && e.responseEnd > 0));
    await reference.waitForTimeout(500);
    assert.equal(text, await reference.innerText('body'), screen.query);
    await reference.context().close();
  }
});

test('code from the rest that is used before the rest has arrived loads it on the spot', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  const seen = wasmRequests(page);
  // The background fetch never answers; a synchronous request gets the file.
  await page.route('**/*.rest.wasm', (route) => (route.request().resourceType() === 'fetch' ? undefined : route.continue()));
  await page.goto(server.url);
  await page.waitForSelector('#scenario-menu');
  // Live mode's panel is not run at startup, so its code is in the rest.
  await page.click('#mode-switch-1');
  await page.waitForSelector('#live-panel');
  await page.click('#mode-switch-0');
  await page.click('#scenario-menu [data-scenario="seek"]');
  await page.waitForSelector('#logs [data-partition]', { state: 'attached' });
  await page.click('#play');
  await page.waitForFunction(() => parseFloat(document.querySelector('#clock').textContent) > 1);
  assert.deepEqual(seen, [['first', 'other'], ['rest', 'fetch'], ['rest', 'xhr']]);
  assert.deepEqual(withoutGateway(page.errors), []);
});

test('when the rest cannot be loaded, the page says so in its language', async () => {
  for (const [locale, expected] of [['en-US', /could not load the rest of its code \(.*HTTP 404\)\. Reload the page\./], ['ko-KR', /나머지 코드를 불러오지 못했습니다 \(.*HTTP 404\)\. 페이지를 새로 고치세요\./]]) {
    const page = await newPage(browser, { locale });
    await page.route('**/*.rest.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(server.url);
    await page.waitForSelector('#scenario-menu');
    // Live mode's panel is in the rest.
    await page.click('#mode-switch-1');
    await page.waitForSelector('#offsetlab-load-error');
    assert.match(await page.textContent('#offsetlab-load-error'), expected);
    assert.equal(await page.getAttribute('#offsetlab-load-error', 'role'), 'alert');
    assert.ok(page.errors.some((e) => expected.test(e)), 'the console has it too');
  }
});
