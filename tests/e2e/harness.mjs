// Shared by the end-to-end tests: serve the built app (trunk's dist/) on a
// loopback port and drive Debian's Chromium with playwright-core.
import { createServer } from 'node:http';
import { readFile, readdir, mkdir } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.toml': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

export const DIST = process.env.OFFSETLAB_DIST;
export const SCREENSHOTS = process.env.OFFSETLAB_SCREENSHOTS ?? 'tests/e2e/screenshots';

/**
 * Serves `root` on 127.0.0.1 at a free port; resolves to { url, close }.
 * `gzip: true` serves every file gzipped and uncached, as a web server would
 * send it over a network (the load benchmark).
 */
export async function serveDist(root = DIST, { gzip = false } = {}) {
  if (!root) throw new Error('OFFSETLAB_DIST is not set: run these tests with `cargo xtask test e2e`');
  const zipped = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(normalize(root) + sep) && file !== normalize(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      let body = await readFile(file);
      if (gzip) {
        if (!zipped.has(file)) zipped.set(file, gzipSync(body, { level: 9 }));
        body = zipped.get(file);
        Object.assign(headers, { 'content-encoding': 'gzip', 'cache-control': 'no-store' });
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** The built-in scenarios' names, from the build's `scenarios/` folder. */
export async function builtInScenarios(dist = DIST) {
  const names = (await readdir(join(dist, 'scenarios')))
    .filter((f) => f.endsWith('.toml'))
    .map((f) => f.slice(0, -'.toml'.length))
    .sort();
  if (names.length === 0) throw new Error(`no built-in scenarios in ${dist}/scenarios`);
  return names;
}

/** Headless Chromium with the flags this machine needs (no network, root). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A page whose console errors and uncaught exceptions fail the test. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  // The app skips drawing rows and panels out of view (content-visibility);
  // a full-page capture is not scrolling, so it shows them all drawn, as a
  // reader scrolling down would see them. The same inside embedded frames
  // (the embed example), which are out of view as much as the page's parts.
  const drawAll = await Promise.all(
    page.frames().map((frame) => frame.addStyleTag({ content: '* { content-visibility: visible !important; }' })),
  );
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await Promise.all(drawAll.map((style) => style.evaluate((s) => s.remove())));
}

/**
 * Serves the built app and launches Chromium once for a test file, and
 * closes both after it. `use(server, browser)` receives them.
 */
export function setup(use) {
  let server, browser;
  before(async () => {
    server = await serveDist();
    browser = await launch();
    use(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}
