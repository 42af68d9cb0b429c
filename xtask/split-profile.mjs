// Run by `cargo xtask` (xtask/src/split.rs) on an instrumented release build:
// opens the app in headless Chromium on its first screen, the scenario menu,
// and writes which functions ran to OFFSETLAB_PROFILE. Those stay in the
// first module; the rest load while a person reads the menu.
import { writeFile } from 'node:fs/promises';
import { serveDist, launch, newPage } from '../tests/e2e/harness.mjs';

const server = await serveDist(process.env.OFFSETLAB_DIST);
const browser = await launch();
try {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__offsetlabWasm = e.detail.wasm; });
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__offsetlabWasm !== undefined);
  await page.waitForSelector('#scenario-menu');
  // What runs after the first draw without a person doing anything (timers,
  // idle callbacks) belongs to the first screen too.
  await page.waitForTimeout(1000);
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
  await writeFile(process.env.OFFSETLAB_PROFILE, Buffer.from(profile));
} finally {
  await browser.close();
  await server.close();
}
