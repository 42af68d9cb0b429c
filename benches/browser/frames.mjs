// Browser benchmark: the release build plays the 256-partition load at 20×
// in headless Chromium while requestAnimationFrame records frame times.
// Prints one JSON line. Run with `cargo xtask bench` (it builds dist first).
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { serveDist, launch, newPage } from '../../tests/e2e/harness.mjs';

const dist = process.env.OFFSETLAB_DIST;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const load = await readFile(new URL('./stress-256.toml', import.meta.url));

const server = await serveDist(dist);
const browser = await launch();
try {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(server.url);
  await page.waitForSelector('#scenario-menu');
  await page.setInputFiles('#open-file', { name: 'stress-256.toml', mimeType: 'text/plain', buffer: load });
  await page.waitForSelector('#logs [data-partition="load-15"]', { timeout: 60_000 });
  await page.selectOption('#speed', '6');
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  await page.click('#play');
  await page.waitForTimeout(seconds * 1000);
  await page.click('#play');
  const frames = await page.evaluate(() => { window.__stop = true; return window.__frames.slice(5); });
  const clock = await page.textContent('#clock');
  const events = await page.textContent('.scrub-count');
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const wasm = (await readdir(dist)).find((f) => f.endsWith('.wasm'));
  const bytes = await readFile(join(dist, wasm));
  console.log(JSON.stringify({
    frames: frames.length,
    p50_ms: +pct(50).toFixed(2),
    p95_ms: +pct(95).toFixed(2),
    p99_ms: +pct(99).toFixed(2),
    max_ms: +sorted[sorted.length - 1].toFixed(2),
    virtual_clock: clock.trim(),
    events: events.trim(),
    wasm_bytes: bytes.length,
    wasm_gzip_bytes: gzipSync(bytes, { level: 9 }).length,
    errors: page.errors,
  }));
} finally {
  await browser.close();
  await server.close();
}
