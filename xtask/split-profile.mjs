// Run by `cargo xtask` (xtask/src/split.rs) on an instrumented release build:
// opens the app's first screens in headless Chromium the ways people reach
// them, and writes which functions ran to OFFSETLAB_PROFILE_DIR, one profile
// per page, for xtask to merge. Those functions, and the data they use, stay
// in the first module; the rest load while a person reads. xtask splits the
// code twice: by the menu's pages, for the bare page, and by all of them, for
// a page that opens a scenario. The first screens:
// - the scenario menu: the bare page in an English and in a Korean browser,
//   `?lang=ko`, `?present=1`, and switching language there;
// - every built-in scenario, embedded and linked, used for a while
//   (tests/e2e/first-screens.mjs, which the split's test shares).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDist, launch, newPage, builtInScenarios } from '../tests/e2e/harness.mjs';
import { scenarioScreens, shown, use } from '../tests/e2e/first-screens.mjs';

const DIST = process.env.OFFSETLAB_DIST;

const menu = (query, locale, switchTo) => ({
  kind: 'menu', query, locale,
  async run(page) {
    await page.waitForSelector('#scenario-menu');
    // What runs after the first draw without a person doing anything
    // (timers, idle callbacks) belongs to the first screen too.
    await page.waitForTimeout(1000);
    await page.click(`#lang-switch-${switchTo}`);
    await page.waitForFunction(
      (korean) => /[가-힣]/.test(document.querySelector('#scenario-menu').textContent) === korean,
      switchTo === 1,
    );
    await page.waitForTimeout(500);
  },
});

const PAGES = [
  menu('', 'en-US', 1),
  menu('', 'ko-KR', 0),
  menu('?lang=ko', 'en-US', 0),
  // Presentation mode, as a workshop projects it.
  menu('?present=1', 'en-US', 1),
  ...scenarioScreens(await builtInScenarios(DIST)).map((screen) => ({
    ...screen,
    kind: 'scenario',
    async run(page) {
      await shown(page);
      // Longer than the split's test uses each screen, so that what it
      // runs is surely here.
      await use(page, screen, 2);
      // Every moment of a further stretch drawn in full (paused, each step
      // draws everything current), so that what the test's frames draw is
      // here whatever their timing.
      if (!screen.embedded) {
        for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
      }
      await page.waitForTimeout(300);
    },
  })),
];

/** Opens one page, uses it, and writes which functions ran. */
async function profile(browser, server, i, { kind, query, locale, run }) {
  const page = await newPage(browser, { locale });
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__offsetlabWasm = e.detail.wasm; });
  });
  try {
    await page.goto(server.url + query);
    await page.waitForFunction(() => window.__offsetlabWasm !== undefined);
    await run(page);
  } catch (e) {
    throw new Error(`${query || 'the bare page'} (${locale}): ${e.message}; page errors: ${page.errors.join('; ')}`);
  }
  const ran = await page.evaluate(() => {
    const wasm = window.__offsetlabWasm;
    // A few bytes per function; 1 MB is far more than the app has.
    const room = 1 << 20;
    const at = wasm.__wbindgen_malloc(room, 8);
    const length = wasm.__write_profile(at, room);
    return Array.from(new Uint8Array(wasm.memory.buffer, at, length));
  });
  if (ran.length === 0) throw new Error(`${query}: the instrumented build wrote an empty profile`);
  if (page.errors.length > 0) throw new Error(`${query}: the instrumented build failed: ${page.errors.join('; ')}`);
  // xtask splits twice: by the menu's pages (the bare page starts from
  // that first module) and by all of them.
  await writeFile(join(process.env.OFFSETLAB_PROFILE_DIR, `${kind}-${String(i).padStart(2, '0')}.profile`), Buffer.from(ran));
  await page.context().close();
}

const server = await serveDist(DIST);
const browser = await launch();
try {
  // Three pages at a time: most of a page's time is its clock running, and
  // a profile only says which functions ran, however the pages' frames fall.
  const queue = [...PAGES.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await profile(browser, server, ...next);
  };
  await Promise.all([worker(), worker(), worker()]);
} finally {
  await browser.close();
  await server.close();
}
