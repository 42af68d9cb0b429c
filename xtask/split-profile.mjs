// Run by `cargo xtask` (xtask/src/split.rs) on an instrumented release build:
// opens the app's first screen, the scenario menu, in headless Chromium the
// ways people reach it (the bare page in an English and in a Korean browser,
// `?lang=ko`, and switching language there), and writes which functions ran
// to OFFSETLAB_PROFILE_DIR, one profile per page, for xtask to merge. Those
// functions stay in the first module; the rest load while a person reads.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDist, launch, newPage } from '../tests/e2e/harness.mjs';

const PAGES = [
  { query: '', locale: 'en-US', switchTo: 1 },
  { query: '', locale: 'ko-KR', switchTo: 0 },
  { query: '?lang=ko', locale: 'en-US', switchTo: 0 },
];

const server = await serveDist(process.env.OFFSETLAB_DIST);
const browser = await launch();
try {
  for (const [i, { query, locale, switchTo }] of PAGES.entries()) {
    const page = await newPage(browser, { locale });
    await page.addInitScript(() => {
      addEventListener('TrunkApplicationStarted', (e) => { window.__offsetlabWasm = e.detail.wasm; });
    });
    await page.goto(server.url + query);
    await page.waitForFunction(() => window.__offsetlabWasm !== undefined);
    await page.waitForSelector('#scenario-menu');
    // What runs after the first draw without a person doing anything
    // (timers, idle callbacks) belongs to the first screen too.
    await page.waitForTimeout(1000);
    // The menu in the other language.
    await page.click(`#lang-switch-${switchTo}`);
    await page.waitForFunction(
      (korean) => /[가-힣]/.test(document.querySelector('#scenario-menu').textContent) === korean,
      switchTo === 1,
    );
    await page.waitForTimeout(500);
    const profile = await page.evaluate(() => {
      const wasm = window.__offsetlabWasm;
      // A few bytes per function; 1 MB is far more than the app has.
      const room = 1 << 20;
      const at = wasm.__wbindgen_malloc(room, 8);
      const length = wasm.__write_profile(at, room);
      return Array.from(new Uint8Array(wasm.memory.buffer, at, length));
    });
    if (profile.length === 0) throw new Error('the instrumented build wrote an empty profile');
    if (page.errors.length > 0) throw new Error(`the instrumented build failed: ${page.errors.join('; ')}`);
    await writeFile(join(process.env.OFFSETLAB_PROFILE_DIR, `page-${i}.profile`), Buffer.from(profile));
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
