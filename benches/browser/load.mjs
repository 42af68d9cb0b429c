// Browser benchmark: how long the release build takes to load over a slow
// network, served gzipped as a web server would. For the bare page, until its
// scenario menu shows and until all its code has arrived; for an embedded
// scenario (a link), until its logs show. Prints one JSON line. Run with
// `cargo xtask bench` (it builds dist first), or on any build:
// OFFSETLAB_DIST=dir node benches/browser/load.mjs
import { serveDist, launch } from '../../tests/e2e/harness.mjs';

const dist = process.env.OFFSETLAB_DIST;
const runs = Number(process.env.BENCH_RUNS ?? 3);
// Chromium's throttling presets: bytes per second, and a round trip in ms.
const NETWORKS = {
  'slow 4G (9 Mbit/s, 60 ms)': { download: (9e6 / 8) * 0.9, latency: 60 },
  '3G (1.6 Mbit/s, 150 ms)': { download: (1.6e6 / 8) * 0.9, latency: 150 },
};

const server = await serveDist(dist, { gzip: true });
const { url } = server;
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Milliseconds from the start of navigation (the page's time origin) until
 *  `selector` is in the page, and until every .wasm it asked for has arrived. */
async function timeTo(network, path, selector) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: network.latency, downloadThroughput: network.download, uploadThroughput: network.download,
  });
  await page.goto(url + path, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { state: 'attached', timeout: 120_000 });
  const shown = Math.round(await page.evaluate(() => performance.now()));
  await page.waitForLoadState('networkidle');
  const wasmDone = await page.evaluate(() => Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => e.responseEnd)));
  await context.close();
  return { shown, all_code: Math.round(wasmDone) };
}

const result = {};
try {
  for (const [name, network] of Object.entries(NETWORKS)) {
    const menu = [], code = [], embed = [];
    for (let i = 0; i < runs; i++) {
      const bare = await timeTo(network, '', '#scenario-menu');
      menu.push(bare.shown);
      code.push(bare.all_code);
      embed.push((await timeTo(network, '?embed&scenario=ordering-3-partitions&lang=en', '#logs [data-partition]')).shown);
    }
    result[name] = { menu_shown_ms: median(menu), all_code_ms: median(code), embedded_scenario_shown_ms: median(embed) };
  }
  console.log(JSON.stringify({ runs, ...result }));
} finally {
  await browser.close();
  await server.close();
}
