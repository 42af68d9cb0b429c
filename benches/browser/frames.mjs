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
  // BENCH_NO_IDLE=1: a browser without idle callbacks (as Safari), where the
  // model runs inside each frame.
  if (process.env.BENCH_NO_IDLE) await page.addInitScript(() => { window.requestIdleCallback = undefined; });
  await page.goto(server.url);
  await page.waitForSelector('#scenario-menu');
  await page.setInputFiles('#open-file', { name: 'stress-256.toml', mimeType: 'text/plain', buffer: load });
  await page.waitForSelector('#logs [data-partition="load-15"]', { timeout: 60_000 });
  await page.selectOption('#speed', '6');
  // BENCH_SCROLL_TO=#ordering measures with that part of the page in view
  // (by default the top of the page: the controls and the first logs).
  if (process.env.BENCH_SCROLL_TO) await page.locator(process.env.BENCH_SCROLL_TO).scrollIntoViewIfNeeded();
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  // A trace of the main thread over the run: how long each frame's work
  // took (the rAF callbacks with the model, the redraw, then style, layout
  // and paint), which the frame intervals above cannot show below one
  // display refresh.
  const cdp = await page.context().newCDPSession(page);
  // BENCH_CPU_THROTTLE=4: a CPU that many times slower (a phone, say).
  const throttle = Number(process.env.BENCH_CPU_THROTTLE ?? 1);
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const trace = [];
  cdp.on('Tracing.dataCollected', (d) => trace.push(...d.value));
  const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'toplevel,cc', transferMode: 'ReportEvents' });
  await page.click('#play');
  await page.waitForTimeout(seconds * 1000);
  const frames = await page.evaluate(() => { window.__stop = true; return window.__frames.slice(5); });
  await cdp.send('Tracing.end');
  await traced;
  await page.click('#play');
  const clock = await page.textContent('#clock');
  const events = await page.textContent('.scrub-count');
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const work = frameWork(trace);
  // A split build (`cargo xtask dist`) has two modules: the one the page
  // starts from, and the rest it fetches once started.
  const wasm = {};
  for (const file of (await readdir(dist)).filter((f) => f.endsWith('.wasm')).sort()) {
    const bytes = await readFile(join(dist, file));
    // `_bg.wasm` and `_bg.rest.wasm` (a page that opens a scenario),
    // `_bg.menu.wasm` and `_bg.menu.rest.wasm` (the bare page).
    wasm[file.replace(/^.*_bg\./, '')] = { bytes: bytes.length, gzip_bytes: gzipSync(bytes, { level: 9 }).length };
  }
  console.log(JSON.stringify({
    frames: frames.length,
    p50_ms: +pct(50).toFixed(2),
    p95_ms: +pct(95).toFixed(2),
    p99_ms: +pct(99).toFixed(2),
    max_ms: +sorted[sorted.length - 1].toFixed(2),
    // Intervals longer than one and a half refreshes: frames not shown on time.
    missed_pct: +((100 * frames.filter((f) => f > 25).length) / frames.length).toFixed(1),
    frame_work: work,
    virtual_clock: clock.trim(),
    events: events.trim(),
    wasm,
    errors: page.errors,
  }));
} finally {
  await browser.close();
  await server.close();
}

/** Per frame, the main thread's task that ran it (the top-level task that
 *  contains `ProxyMain::BeginMainFrame`): percentiles of its duration. */
function frameWork(events) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const main = events.filter((e) => e.ph === 'X' && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  const tasks = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
  const frames = main.filter((e) => e.name === 'ProxyMain::BeginMainFrame');
  const ms = frames
    .map((f) => tasks.find((t) => t.ts <= f.ts && f.ts + f.dur <= t.ts + t.dur) ?? f)
    .map((t) => t.dur / 1000)
    .sort((a, b) => a - b);
  const pct = (p) => +(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0).toFixed(2);
  // All of the main thread's top-level tasks (the frames, the model's idle
  // callbacks, timers, input), as a share of the traced time: the frame's
  // task is short only if other work runs between frames, not if it vanishes.
  const top = tasks.filter((t) => !tasks.some((o) => o !== t && o.ts <= t.ts && t.ts + t.dur <= o.ts + o.dur));
  const span = Math.max(...top.map((t) => t.ts + t.dur)) - Math.min(...top.map((t) => t.ts));
  const busy = top.reduce((sum, t) => sum + t.dur, 0);
  return {
    frames: ms.length, p50_ms: pct(50), p95_ms: pct(95), p99_ms: pct(99),
    main_thread_busy_pct: +((100 * busy) / span).toFixed(1),
  };
}
