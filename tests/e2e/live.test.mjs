// Live mode end to end: the built app, served by the real gateway, against a
// real Kafka-protocol broker (nisshi) on loopback. Records produced through
// the gateway appear on the partition logs, and the committed offset of a
// gateway-owned consumer's group moves as it commits, and to the offsets typed
// in its panel's "commit these offsets"; the session saved as a
// recording replays offline; a gateway restarted on the same port is
// reconnected to. The tests share one page and run in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, launch, newPage, screenshot, serveDist } from './harness.mjs';

const GATEWAY = process.env.OFFSETLAB_GATEWAY;
const NISSHI = process.env.OFFSETLAB_NISSHI;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function listening(port, what, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let broker, gateway, browser, url, port;
/** The page the first test opens, kept for the ones after it. */
let livePage;

function startGateway(brokerPort) {
  return spawn(GATEWAY, ['--bootstrap-servers', `127.0.0.1:${brokerPort}`, '--listen', `127.0.0.1:${port}`,
    '--static-dir', DIST, '--allow-write', '--refresh-ms', '300'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
let brokerPort;

before(async () => {
  if (!GATEWAY || !NISSHI) {
    throw new Error('OFFSETLAB_GATEWAY and OFFSETLAB_NISSHI are not set: run with `cargo xtask test e2e`');
  }
  brokerPort = await freePort();
  const listener = `tcp://127.0.0.1:${brokerPort}`;
  broker = spawn(NISSHI, ['broker', '--listener-url', listener, '--advertised-listener-url', listener,
    '--storage-engine', 'memory://e2e/', '--cluster-id', 'e2e', '--group-initial-rebalance-delay', '0s'],
  { cwd: await mkdtemp(join(tmpdir(), 'offsetlab-e2e-broker-')), stdio: 'ignore' });
  await listening(brokerPort, 'nisshi');
  port = await freePort();
  gateway = startGateway(brokerPort);
  await listening(port, 'the gateway');
  url = `http://127.0.0.1:${port}/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  // The gateway closes its consumers on the way out: with the broker still
  // up they leave their group cleanly instead of logging refused connects.
  if (gateway && gateway.exitCode === null && gateway.signalCode === null) {
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  broker?.kill('SIGKILL');
});

/**
 * A second client of the gateway, in a page of its own origin, sends
 * commands over its own socket and resolves with each answer.
 */
async function driver() {
  const page = await newPage(browser);
  await page.goto(`${url}healthz`);
  await page.evaluate(() => new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${location.host}/ws`);
    const waiting = new Map();
    let next = 1;
    socket.onmessage = (m) => {
      const frame = JSON.parse(m.data);
      if (frame.frame === 'hello') resolve();
      if ((frame.frame === 'ack' || frame.frame === 'error') && waiting.has(frame.id)) {
        waiting.get(frame.id)(frame);
        waiting.delete(frame.id);
      }
    };
    socket.onerror = () => reject(new Error('driver socket failed'));
    socket.onopen = () => socket.send(JSON.stringify({ command: 'hello' }));
    window.send = (command) => new Promise((done) => {
      const id = next++;
      waiting.set(id, done);
      socket.send(JSON.stringify({ id, ...command }));
    });
  }));
  return async (command) => {
    const answer = await page.evaluate((c) => window.send(c), command);
    assert.equal(answer.frame, 'ack', `${command.command}: ${JSON.stringify(answer)}`);
  };
}

const recordsShown = (page, topic) =>
  page.$$eval(`.log-row[data-partition^="${topic}-"] .record`, (cells) => cells.length);

test('live: produced records appear on the logs and the committed offset moves', async () => {
  const send = await driver();
  await send({ command: 'create_topic', topic: 'orders', partitions: 2 });
  for (const key of ['alice', 'bob']) {
    await send({ command: 'produce', topic: 'orders', key, count: 5 });
  }

  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(`${url}?live`);
  await page.waitForSelector('#live-status.live-connected', { timeout: 20000 });
  // The first observation lists the topic; the app watches it and draws its records.
  await page.waitForFunction(
    () => document.querySelectorAll('.log-row[data-partition^="orders-"] .record').length === 10,
    null, { timeout: 20000 },
  );
  assert.equal(await recordsShown(page, 'orders'), 10);

  await send({
    command: 'start_consumer', consumer: 'c1', group: 'offsetlab.e2e', processing_ms: 50,
    commit: 'sync_per_poll', config: { 'auto.offset.reset': 'earliest', 'max.poll.records': '2' },
  });
  await send({ command: 'subscribe', consumer: 'c1', topics: ['orders'] });
  const committed = '.group-lane[data-group="offsetlab.e2e"] .committed-mark';
  await page.waitForSelector(committed, { timeout: 30000 });
  // All ten processed and committed: the marks sum to ten.
  const sum = () => page.$$eval(committed, (marks) =>
    marks.reduce((n, m) => n + Number((m.getAttribute('title') ?? '').match(/(\d+)$/)?.[1] ?? 0), 0));
  await page.waitForFunction(
    (selector) => [...document.querySelectorAll(selector)]
      .reduce((n, m) => n + Number((m.getAttribute('title') ?? '').match(/(\d+)$/)?.[1] ?? 0), 0) === 10,
    committed, { timeout: 30000 },
  );
  assert.equal(await sum(), 10);

  // More records: the committed offset moves on with them.
  await send({ command: 'produce', topic: 'orders', key: 'alice', count: 4 });
  await page.waitForFunction(
    (selector) => [...document.querySelectorAll(selector)]
      .reduce((n, m) => n + Number((m.getAttribute('title') ?? '').match(/(\d+)$/)?.[1] ?? 0), 0) === 14,
    committed, { timeout: 30000 },
  );
  assert.equal(await recordsShown(page, 'orders'), 14);
  // The gateway's own consumer is a known member: named, with its partitions and generation.
  const member = '[data-group="offsetlab.e2e"] li.member[data-consumer="c1"]';
  await page.waitForSelector(`${member}:not(.outside)`, { timeout: 10000 });
  assert.match(await page.textContent(member), /orders-0–1/);
  assert.doesNotMatch(await page.textContent('[data-group="offsetlab.e2e"]'), /unknown/);
  assert.match(await page.textContent('[data-group="offsetlab.e2e"] dd.generation'), /^\d+$/);
  await screenshot(page, 'live-committed');
  assert.deepEqual(page.errors, []);
  livePage = page;
});

const committedSum = (page, group) => page.$$eval(`.group-lane[data-group="${group}"] .committed-mark`, (marks) =>
  marks.reduce((n, m) => n + Number((m.getAttribute('title') ?? '').match(/(\d+)$/)?.[1] ?? 0), 0));

async function waitForCommitted(page, group, total, timeout = 30000) {
  try {
    await page.waitForFunction(
      ([group, total]) => [...document.querySelectorAll(`.group-lane[data-group="${group}"] .committed-mark`)]
        .reduce((n, m) => n + Number((m.getAttribute('title') ?? '').match(/(\d+)$/)?.[1] ?? 0), 0) === total,
      [group, total], { timeout },
    );
  } catch (e) {
    // Say what the page showed instead, and what the gateway said last.
    const marks = await page.$$eval(`.group-lane[data-group="${group}"] .committed-mark`,
      (ms) => ms.map((m) => `${m.closest('.log-row')?.dataset.partition}: ${m.getAttribute('title')}`));
    const events = await page.$$eval('#event-log .event', (ls) => ls.slice(0, 12).map((l) => l.textContent));
    throw new Error(`committed offsets of ${group} never summed to ${total}: ${JSON.stringify(marks)}; last events: ${JSON.stringify(events)}`, { cause: e });
  }
}

test('live: the consumer panel commits exactly the offsets typed, then commitAsync() the positions', async () => {
  const page = livePage;
  assert.ok(page, 'the first live test leaves its page open');
  // The hello's interval (the gateway runs with --refresh-ms 300).
  assert.equal(await page.inputValue('#live-refresh'), '300');
  await page.click('[data-group="offsetlab.e2e"] li.member[data-consumer="c1"] .consumer-chip');
  await page.waitForSelector('#consumer-panel[data-consumer="c1"]');
  // Stop polling first: with no poll, the consumer's own commits cannot move the mark on.
  await page.click('#action-poll');
  await page.waitForSelector('#consumer-panel .cp-warn', { timeout: 10000 });
  await page.click('#cp-commit-offsets summary');
  const field = (p) => `#cp-commit-offsets .cp-commit-row[data-tp="orders-${p}"] input`;
  assert.equal(await page.inputValue(field(0)), '5', 'filled with the position');
  assert.equal(await page.inputValue(field(1)), '9');
  await page.fill(field(0), '-2');
  assert.equal(await page.textContent('#cp-commit-offsets .cfg-error'), 'The offset must be a whole number, 0 or more');
  assert.ok(await page.isDisabled('#commit-offsets'));
  await page.fill(field(0), '2');
  await page.click('#commit-offsets');
  const mark = (p) => `.log-row[data-partition="orders-${p}"] .group-lane[data-group="offsetlab.e2e"] .committed-mark`;
  await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('title')?.endsWith(' 2'),
    mark(0), { timeout: 15000 });
  assert.match(await page.getAttribute(mark(1), 'title'), / 9$/, 'orders-1 committed at its position');
  assert.equal(await committedSum(page, 'offsetlab.e2e'), 11);
  await screenshot(page, 'live-commit-offsets');
  // commitAsync() commits the positions again. With polling stopped its
  // callback cannot run, so only the observer can tell the page, even when
  // it never read the 2 (the gateway's test
  // a_commit_seen_only_by_the_observer_replaces_a_reported_one).
  await page.click('#action-commit-async');
  await waitForCommitted(page, 'offsetlab.e2e', 14, 15000);
  await page.click('#action-poll');
  await page.waitForSelector('#consumer-panel .cp-warn', { state: 'detached', timeout: 10000 });
  await page.click('#consumer-panel .close');
  assert.deepEqual(page.errors, []);
  assert.equal(await page.$('#live-errors'), null, 'the gateway refused nothing');
});

test('live: the session saved as a recording replays offline, records and committed offsets included', async () => {
  const page = livePage;
  assert.ok(page, 'the first live test leaves its page open');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-recording')]);
  assert.match(download.suggestedFilename(), /^offsetlab-live-[\d-]+\.recording\.jsonl$/);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  const [header, ...events] = text.trim().split('\n').map((line) => JSON.parse(line));
  assert.match(header.name, new RegExp(`^Live: 127\\.0\\.0\\.1:${port} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
  for (const type of ['cluster_observed', 'records_produced', 'partitions_assigned', 'commit_completed']) {
    assert.ok(events.some((e) => e.type === type), `the recording has ${type} events`);
  }

  // A fresh page, offline, from a plain file server: no gateway involved.
  const server = await serveDist();
  try {
    const offline = await newPage(browser, { locale: 'en-US' });
    await offline.goto(server.url);
    await offline.waitForSelector('#scenario-menu');
    await offline.setInputFiles('#open-file',
      { name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
    await offline.waitForFunction(() => document.querySelector('#scenario-name')?.textContent.startsWith('Live: '));
    await offline.selectOption('#speed', '6');
    await offline.click('#play');
    // To the end of the recording: on the way the committed offsets were also
    // 14 once before the explicit commit at 2, so only the end state counts.
    const lastMs = Math.max(...events.map((e) => e.at_ms));
    await offline.waitForFunction(
      (last) => Math.round(parseFloat(document.querySelector('#clock')?.textContent ?? '0') * 1000) >= last,
      lastMs, { timeout: 20000 },
    );
    await offline.waitForFunction(
      () => document.querySelectorAll('.log-row[data-partition^="orders-"] .record').length === 14,
      null, { timeout: 20000 },
    );
    await waitForCommitted(offline, 'offsetlab.e2e', 14, 20000);
    assert.equal(await committedSum(offline, 'offsetlab.e2e'), 14);
    const hw = await offline.$$eval('.log-row[data-partition^="orders-"] .hw-mark', (m) => m.length);
    assert.equal(hw, 2, 'both partitions show their high watermark');
    await offline.waitForSelector('[data-group="offsetlab.e2e"] li.member[data-consumer="c1"]');
    await screenshot(offline, 'live-recording-replayed');
    assert.deepEqual(offline.errors, []);
  } finally {
    await server.close();
  }
});

test('live: a gateway restarted on the same port is reconnected to, and the logs fill again', async () => {
  const page = livePage;
  assert.ok(page, 'the first live test leaves its page open');
  const clock = async () => Number((await page.textContent('#clock')).match(/[\d.]+/)[0]);
  const before = await clock();
  const exited = new Promise((resolve) => gateway.once('exit', resolve));
  gateway.kill('SIGTERM');
  await exited;
  await page.waitForSelector('#live-status.live-reconnecting', { timeout: 15000 });
  await screenshot(page, 'live-reconnecting');
  gateway = startGateway(brokerPort);
  await listening(port, 'the restarted gateway');
  await page.waitForSelector('#live-status.live-connected', { timeout: 30000 });
  // A new gateway is a new run: the view starts over and fills from the cluster.
  await page.waitForFunction(
    () => document.querySelectorAll('.log-row[data-partition^="orders-"] .record').length === 14,
    null, { timeout: 30000 },
  );
  assert.equal(await recordsShown(page, 'orders'), 14);
  assert.ok(await clock() < before, 'the new gateway is a new run, on its own clock');
  // The broker kept the group's committed offsets.
  await waitForCommitted(page, 'offsetlab.e2e', 14);
  await screenshot(page, 'live-reconnected');

  // A phone: live mode fits 375 px without scrolling sideways.
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scrolling at 375 px');
  await screenshot(page, 'live-phone');
  // Chromium logs each refused try while the gateway is down; nothing else may fail.
  assert.deepEqual(page.errors.filter((e) => !/WebSocket connection to .* failed/.test(e)), []);
});
