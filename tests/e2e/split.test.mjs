// The release build's .wasm is split in two, twice (xtask/src/split.rs): a
// page draws its first screen from a first module and fetches the rest once
// started, the bare page (the scenario menu) from the menu's, a page that
// opens a scenario (embedded or linked) from the one with every first
// screen; a live-mode link fetches both and starts when both are there. A
// part of the rest used before it has arrived is loaded on the spot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, builtInScenarios } from './harness.mjs';
import { scenarioScreens, shown, use } from './first-screens.mjs';

let server, browser;
setup((s, b) => {
  server = s;
  browser = b;
});

/**
 * The page's requests for .wasm files, in order: [file, how it was asked
 * for]; the menu's modules are 'menu first' and 'menu rest'.
 */
function wasmRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (!path.endsWith('.wasm')) return;
    const file = `${path.endsWith('.menu.wasm') || path.endsWith('.menu.rest.wasm') ? 'menu ' : ''}${path.endsWith('.rest.wasm') ? 'rest' : 'first'}`;
    seen.push([file, r.resourceType()]);
  });
  return seen;
}
const MENU_FILES = [['menu first', 'other'], ['menu rest', 'fetch']];
const SCENARIO_FILES = [['first', 'other'], ['rest', 'fetch']];

/** Waits until the page's rest module has arrived. */
const restArrived = (page) =>
  page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.rest.wasm') && e.responseEnd > 0));

/** Live mode connects to the page's own /ws, which this static server lacks. */
const withoutGateway = (errors) => errors.filter((e) => !/^WebSocket connection to .*\/ws' failed/.test(e));

test('the bare page starts from the menu\'s first module, then fetches its rest once', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  const seen = wasmRequests(page);
  await page.goto(server.url);
  await page.waitForSelector('#scenario-menu');
  await restArrived(page);
  await page.click('#scenario-menu [data-scenario="seek"]');
  await page.waitForSelector('#logs');
  await page.click('#mode-switch-1');
  await page.waitForSelector('#live-panel');
  assert.deepEqual(seen, MENU_FILES, 'each module once, the first one first (preloaded), the rest in the background');
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
    await restArrived(page);
    assert.deepEqual(seen, MENU_FILES, `${query || locale}: the Korean menu needs nothing from the rest`);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('links open without loading anything on the spot (a live-mode link waits for both modules)', async () => {
  for (const [query, ready, files] of [['?scenario=seek&t=3000', '#logs [data-partition]', SCENARIO_FILES], ['?present=1', '#scenario-menu', MENU_FILES], ['?live=1', '#live-panel', SCENARIO_FILES]]) {
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
    assert.deepEqual(seen, files, query);
    assert.deepEqual(withoutGateway(page.errors), []);
    await page.close();
  }
});

test('every built-in scenario, embedded or linked, shows from the first module alone, then plays', async () => {
  for (const screen of scenarioScreens(await builtInScenarios())) {
    const page = await newPage(browser, { locale: screen.locale });
    const seen = wasmRequests(page);
    // The background fetch never answers: code from the rest would be seen
    // loading on the spot, and data from it would read as zeros.
    await page.route('**/*.rest.wasm', (route) => (route.request().resourceType() === 'fetch' ? undefined : route.continue()));
    await page.goto(server.url + screen.query);
    await shown(page);
    assert.deepEqual(seen, SCENARIO_FILES, `${screen.query}: shown from the first module alone`);
    let text;
    if (!screen.embedded) {
      await page.waitForTimeout(500);
      text = await page.innerText('body');
      assert.deepEqual(seen, SCENARIO_FILES, `${screen.query}: shown from the first module alone`);
    }
    // Played for a second. The split's profile played it too, but which
    // functions a frame runs depends on its timing, so a part of the rest
    // may still load on the spot, as it would for a person; it must work.
    await use(page, screen, 1).catch((e) => {
      throw new Error(`${screen.query} (${screen.locale}): ${e.message}; the page's errors: ${page.errors.join('; ') || 'none'}`);
    });
    assert.deepEqual(page.errors, [], screen.query);
    await page.context().close();
    if (screen.embedded) continue;
    // The same moment with the rest loaded reads the same: no string or
    // table the screen shows was left to the rest.
    const reference = await newPage(browser, { locale: screen.locale });
    await reference.goto(server.url + screen.query);
    await shown(reference);
    await restArrived(reference);
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
  assert.deepEqual(seen, [...MENU_FILES, ['menu rest', 'xhr']]);
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
