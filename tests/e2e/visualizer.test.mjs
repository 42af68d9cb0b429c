// The chapter's cases, driven through the built app in headless Chromium:
// what a person sees after crashing, reading 1 vs 3 partitions, and scrubbing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, screenshot } from './harness.mjs';

let server, browser;
setup((s, b) => {
  server = s;
  browser = b;
});

/** Opens a built-in scenario at a moment of virtual time, paused. */
async function open(query, options = {}) {
  const page = await newPage(browser, { locale: 'en-US', ...options });
  await page.goto(`${server.url}?${query}`);
  await page.waitForSelector('#logs');
  return page;
}

const count = (page, selector) => page.getAttribute(selector, 'data-count').then(Number);
/** Opens a scenario file from disk, as a person would, and waits until it is the one shown. */
const openFile = async (page, file, lines, title) => {
  await page.setInputFiles('#open-file', { name: file, mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) });
  await page.waitForFunction((t) => document.querySelector('#scenario-name')?.textContent === t, title);
};
const clockMs = async (page) => Math.round(parseFloat(await page.textContent('#clock')) * 1000);

// The event log is drawn only when scrolled to (content-visibility), so a
// line is looked at as a reader would: scrolled into view.
async function shownInLog(page, type) {
  const line = page.locator(`.event[data-type="${type}"]`).first();
  await line.scrollIntoViewIfNeeded();
  return line.isVisible();
}

test('5.6.1: crashing an auto-commit consumer makes the duplicate counter rise', async () => {
  const page = await open('scenario=auto-commit-crash-duplicates&t=7000');
  const duplicates = '[data-group="app"] .duplicates';
  assert.equal(await count(page, duplicates), 0);
  // The crash comes from the consumer panel, as a person would do it.
  await page.click('[data-group="app"] .consumer-chip:text-is("c1")');
  await page.waitForSelector('#consumer-panel[data-consumer="c1"]');
  await page.click('#action-crash');
  await page.waitForSelector('.event[data-type="consumer_crashed"]', { state: 'attached' });
  await page.selectOption('#speed', '6');
  await page.click('#play');
  // c2 takes over only after session.timeout.ms (10 s) and replays what c1
  // processed after its last auto commit.
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.dataset.count) > 0, duplicates, { timeout: 20_000 });
  await page.click('#play');
  assert.ok(await count(page, duplicates) > 0);
  // The scenario's own crash at 9 s came after the person's: it is said to
  // be skipped because of their change, not reported as a broken scenario.
  assert.equal(await page.textContent('.error-banner > span'),
    'scenario step skipped, since you changed this run: line 49: at 9000 ms: consumer "c1" is not running');
  // The log lists the newest lines; at 20x, records produced after the
  // eviction can fill it before the pause lands. A reader hides them.
  await page.uncheck('.filters .cat-produce input');
  const evicted = await page.locator('.event[data-type="member_evicted"]').count();
  assert.ok(evicted > 0 && await shownInLog(page, 'member_evicted'),
    `the coordinator evicted c1 after the session timeout (paused at ${await clockMs(page)} ms)`);
  await screenshot(page, 'crash-duplicates');
  assert.deepEqual(page.errors, []);
});

test('5.4: one partition keeps produce order, three partitions interleave', async () => {
  const one = await open('scenario=ordering-1-partition&t=20000');
  assert.equal(await clockMs(one), 20000, 'the link opens at exactly t');
  assert.equal(await one.getAttribute('.order-row[data-consumer]', 'data-in-order'), 'true');
  await screenshot(one, 'ordering-1-partition');
  const three = await open('scenario=ordering-3-partitions&t=20000');
  assert.equal(await three.getAttribute('.order-row[data-consumer]', 'data-in-order'), 'false');
  assert.match(await three.textContent('.order-row[data-consumer] .order-verdict'), /within each partition: in offset order/);
  // Following a key dims every other key's records on the logs.
  await three.selectOption('#follow-key', 'a');
  const dimmed = await three.$$eval('#logs .record', (cells) => cells.filter((c) => c.classList.contains('dim')).length);
  const all = await three.$$eval('#logs .record', (cells) => cells.length);
  assert.ok(dimmed > 0 && dimmed < all, `${dimmed} of ${all} dimmed`);
  // The lane's label is cut short for lack of room; hovering names it whole.
  assert.equal(await three.getAttribute('.log-row[data-partition="orders-0"] .group-lane .lane-label', 'title'), 'orders-app');
  await screenshot(three, 'ordering-3-partitions');
});

test('on a 1280x720 projector in present mode, at 1024 px and on a 375 px phone, each log window fits its row, each position sits on its record, its labels clear of the lag', async () => {
  // A row out of view is paint-contained (content-visibility), so whatever
  // passes its right edge is cut off, not scrolled to: the cursors first,
  // and on a phone the lag figure after each lane.
  for (const [width, query] of [[1280, '&present&lang=ko'], [1024, ''], [375, '']]) {
    const page = await open(`scenario=eager-vs-cooperative&t=12000${query}`, { viewport: { width, height: 720 } });
    const overhang = await page.$$eval('#logs .log-row', (rows) => Math.max(...rows.map((r) =>
      Math.max(...[...r.querySelectorAll('*')].map((k) => k.getBoundingClientRect().right)) - r.getBoundingClientRect().right)));
    assert.ok(overhang <= 0, `${width} px${query}: the log window passes its row by ${overhang} px`);
    // Each position is drawn at the left edge of its record (the next one to
    // read), also in rows whose older records are elided.
    const placed = await page.$$eval('#logs .log-row', (rows) => rows.flatMap((row) =>
      [...row.querySelectorAll('.position-mark')].flatMap((mark) => {
        const position = mark.title.match(/\d+$/)[0];
        const record = row.querySelector(`.record[data-offset="${position}"]`);
        const off = record && Math.round(mark.getBoundingClientRect().left - record.getBoundingClientRect().left);
        return record ? [{ at: `${row.dataset.partition} position ${position}`, off, elided: !!row.querySelector('.track > .elided:first-child') }] : [];
      })));
    const misplaced = placed.filter((p) => Math.abs(p.off) > 1).map((p) => `${p.at}: ${p.off} px off`);
    assert.ok(placed.some((p) => p.elided), `${width} px${query}: no position on a record in a row with elided records`);
    assert.deepEqual(misplaced, [], `${width} px${query}: positions not at their records`);
    // A committed offset at the window's end is labelled on its left, clear of the lag figure.
    const overlap = await page.$$eval('#logs .group-lane', (lanes) => Math.max(...lanes.map((lane) => {
      const lag = lane.querySelector('.lag-text');
      const labels = [...lane.querySelectorAll('.mark-text')].map((m) => m.getBoundingClientRect().right);
      return lag ? Math.max(-Infinity, ...labels) - lag.getBoundingClientRect().left : -Infinity;
    })));
    assert.ok(overlap <= 0, `${width} px${query}: a committed label runs ${overlap} px into the lag figure`);
    await page.close();
  }
});

test('on a 375 px phone a consumer lane too narrow for its id keeps the id\'s end (billing-1, billing-2), not its start', async () => {
  const page = await open('scenario=two-groups&t=9000', { viewport: { width: 375, height: 720 } });
  const labels = await page.$$eval('#logs .consumer-lane .lane-label', (buttons) => buttons.map((b) => {
    const text = b.querySelector('.id').firstChild;
    const box = b.getBoundingClientRect();
    const char = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
    const inside = (rect) => rect.left >= box.left - 0.5 && rect.right <= box.right + 0.5;
    return { id: text.data, cut: b.scrollWidth > b.clientWidth, last: inside(char(text.data.length - 1)), first: inside(char(0)) };
  }));
  const billing = labels.filter((l) => l.id.startsWith('billing-'));
  assert.ok(billing.length >= 2 && billing.every((l) => l.cut), `billing ids are cut on a phone: ${JSON.stringify(labels)}`);
  assert.deepEqual(billing.filter((l) => !l.last || l.first), [], 'each shows its last character and loses its first');
  await page.close();
});

test('a committed offset or position behind the window is named at its left edge, and the lag span runs on past it', async () => {
  // At 20 s c2 reads events-0 near the high watermark (100); the group's
  // committed offset is still 25 and crashed c1's last position 45.
  const page = await open('scenario=auto-commit-crash-duplicates&t=20000');
  const row = '#logs .log-row[data-partition="events-0"]';
  const start = await page.$$eval(`${row} .record`, (cells) => Math.min(...cells.map((c) => Number(c.dataset.offset))));
  assert.ok(start > 45, `the window starts at ${start}`);
  assert.equal(await page.textContent(`${row} .group-lane[data-group="app"] .committed-mark.off-left`), '◀ committed 25');
  assert.equal(await page.textContent(`${row} .consumer-lane[data-consumer="c1"] .position-mark.off-left`), '◀ pos 45');
  // The lag span starts at the window's left edge and reaches the high watermark.
  const [spanLeft, spanRight, cellsLeft, hwLeft] = await page.$eval(row, (r) => [
    r.querySelector('.group-lane .lag-span').getBoundingClientRect().left,
    r.querySelector('.group-lane .lag-span').getBoundingClientRect().right,
    r.querySelector('.cells').getBoundingClientRect().left,
    r.querySelector('.hw-mark').getBoundingClientRect().left,
  ]);
  assert.ok(Math.abs(spanLeft - cellsLeft) <= 1 && Math.abs(spanRight - hwLeft) <= 1, `lag span ${spanLeft}–${spanRight}, cells from ${cellsLeft}, HW at ${hwLeft}`);
  assert.equal(await page.textContent(`${row} .group-lane[data-group="app"] .lag-text`), 'lag 75');
  assert.deepEqual(page.errors, []);
});

test('scrubbing back shows the earlier state, and back to now restores it', async () => {
  const page = await open('scenario=auto-commit-crash-duplicates&t=30000');
  const duplicates = '[data-group="app"] .duplicates';
  const now = await count(page, duplicates);
  assert.ok(now > 0, 'the scenario ends with duplicates');
  const nowMs = await clockMs(page);
  // Move the scrubber to a fifth of the timeline.
  await page.$eval('#scrubber', (el) => {
    el.value = String(Math.floor(Number(el.max) / 5));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForSelector('#to-now');
  assert.ok(await clockMs(page) < nowMs, 'the clock moved back');
  assert.equal(await count(page, duplicates), 0, 'no duplicates yet at that moment');
  await screenshot(page, 'scrubbed-back');
  await page.click('#to-now');
  assert.equal(await count(page, duplicates), now);
  assert.equal(await clockMs(page), nowMs);
});

test('Space plays and pauses; Step and the arrow key advance one moment', async () => {
  const page = await open('scenario=two-groups&t=1000');
  const start = await clockMs(page);
  await page.click('#step');
  const stepped = await clockMs(page);
  assert.ok(stepped > start, `step moved the clock from ${start} to ${stepped}`);
  await page.keyboard.press('ArrowRight');
  assert.ok(await clockMs(page) >= stepped);
  await page.keyboard.press('Space');
  await page.waitForFunction((t) => parseFloat(document.querySelector('#clock').textContent) * 1000 > t + 200, stepped);
  await page.keyboard.press('Space');
  const paused = await clockMs(page);
  await page.waitForTimeout(300);
  assert.equal(await clockMs(page), paused, 'paused means the clock stands still');
});

test('a link to an unknown scenario says so instead of breaking', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(`${server.url}?scenario=no-such-thing`);
  await page.waitForSelector('#empty-state');
  assert.match(await page.textContent('.error-banner'), /no built-in scenario is called "no-such-thing"/);
  // The message follows the reader's language, as the rest of the page does.
  await page.click('#lang-switch button:has-text("한국어")');
  assert.equal(await page.textContent('.error-banner > span'), '"no-such-thing"이라는 내장 시나리오가 없습니다');
  // The reader can put it away.
  await page.click('#dismiss-error');
  assert.equal(await page.$('.error-banner'), null);
});

test("a link's unreadable values are said and left out, and a damaged run link says so", async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(`${server.url}?scenario=seek&t=6s&speed=fast`);
  await page.waitForSelector('#scenario-name');
  await page.waitForSelector('.error-banner');
  const banner = await page.textContent('.error-banner');
  assert.match(banner, /the link's t="6s" is not a whole number of milliseconds; the run opens at 0 ms/);
  assert.match(banner, /the link's speed="fast" cannot be read/);
  assert.equal(await clockMs(page), 0, 'the scenario opened, at 0 ms');
  // A run cut short when copied: nothing to open, and the page says why.
  await page.goto(`${server.url}?run=dmVyc2lvbiA9IDEKbmFtZ&lang=ko`);
  await page.waitForSelector('#empty-state');
  assert.match(await page.textContent('.error-banner'), /링크의 run\(시나리오 전체\)이 손상되었습니다/);
  // Nothing to open and a bad value: both said, one line each.
  await page.goto(`${server.url}?scenario=nope&t=soon&lang=en`);
  await page.waitForSelector('.error-banner');
  assert.deepEqual((await page.textContent('.error-banner > span')).split('\n').map((l) => l.slice(0, 30)),
    ['no built-in scenario is called', 'the link\'s t="soon" is not a w']);
  // A run that does not parse keeps its own error: the link's bad t does not cover it.
  const broken = Buffer.from('version = 1\nname = "x"\nseed = 1\n[[topics]]\nname = "t"\npartitions = "two"\n').toString('base64url');
  await page.goto(`${server.url}?run=${broken}&t=soon&lang=en`);
  await page.waitForSelector('.error-banner');
  assert.match(await page.textContent('.error-banner > span'), /^link: line 6/);
  assert.deepEqual(page.errors, []);
});

test('built-in scenarios are fetched when chosen; one that cannot be fetched says so', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/scenarios/')) fetched.push(new URL(r.url()).pathname); });
  await page.route('**/scenarios/seek.toml', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(server.url);
  await page.waitForSelector('#scenario-menu');
  assert.deepEqual(fetched, [], 'the menu needs no scenario file');
  await page.click('#scenario-menu [data-scenario="seek"]');
  await page.waitForSelector('.error-banner');
  assert.match(await page.textContent('.error-banner'), /could not load the scenario "seek": scenarios\/seek\.toml: the server answered 404/);
  assert.ok(await page.isVisible('#empty-state'), 'nothing else changed');
  await page.click('#scenario-menu [data-scenario="two-groups"]');
  await page.waitForSelector('#scenario-name');
  assert.equal(await page.textContent('#scenario-name'), 'Two consumer groups');
  assert.deepEqual(fetched, ['/scenarios/seek.toml', '/scenarios/two-groups.toml']);
});

test('a scenario file from disk runs; a broken one names its line and changes nothing', async () => {
  const page = await open('scenario=two-groups&t=3000');
  const broken = 'version = 1\nname = "Broken"\nseed = 1\n\n[[topics]]\nname = "t"\npartitions = "three"\n';
  await page.setInputFiles('#open-file', { name: 'broken.toml', mimeType: 'text/plain', buffer: Buffer.from(broken) });
  await page.waitForSelector('.error-banner');
  assert.match(await page.textContent('.error-banner'), /broken\.toml: .*line 7/);
  assert.equal(await page.textContent('#scenario-name'), 'Two consumer groups', 'the running scenario stays');
  await page.click('#lang-switch button:has-text("한국어")');
  assert.match(await page.textContent('.error-banner'), /broken\.toml: 7행/);
  await page.click('#lang-switch button:has-text("English")');

  await openFile(page, 'disk.toml', [
    'version = 1', 'name = "From disk"', 'description = "one topic, one consumer"', 'seed = 7',
    '[[topics]]', 'name = "t"', 'partitions = 2',
    '[[producers]]', 'id = "p"', 'topic = "t"', 'rate_per_sec = 10', 'count = 20',
    '[[consumers]]', 'id = "solo"', 'subscribe = ["t"]',
    '[consumers.config]', '"group.id" = "g"', '"auto.offset.reset" = "earliest"',
  ], 'From disk');
  await page.selectOption('#speed', '6');
  await page.click('#play');
  await page.waitForSelector('[data-group="g"] .member[data-consumer="solo"]', { timeout: 15_000 });
  await page.click('#play');
  await page.click('#restart');
  assert.equal(await page.textContent('#scenario-name'), 'From disk', 'restart reruns the file, not a built-in');
  await page.click('#to-menu');
  await page.waitForSelector('#scenario-menu');
});

test('a group\'s first rebalance waits for its first assignment: nothing is revoked, no one is idle', async () => {
  const page = await open('scenario=two-groups&t=0');
  // No group.initial.rebalance.delay.ms: the broker's 3 s default holds the first join.
  await openFile(page, 'first.toml', [
    'version = 1', 'name = "First join"', 'seed = 3',
    '[[topics]]', 'name = "t"', 'partitions = 2',
    '[[producers]]', 'id = "p"', 'topic = "t"', 'rate_per_sec = 20',
    '[[consumers]]', 'id = "a"', 'subscribe = ["t"]', '[consumers.config]', '"group.id" = "g"',
  ], 'First join');
  while (await clockMs(page) < 1000) await page.click('#step');
  const lanes = page.locator('.log-row .group-lane');
  assert.equal(await lanes.count(), 2);
  for (const lane of await lanes.all()) {
    assert.match(await lane.getAttribute('class'), /\bawaiting\b/);
    assert.match(await lane.textContent(), /waiting for its first assignment/);
  }
  assert.equal(await page.locator('.member.idle').count(), 0, 'a member waiting to join is not idle');
  assert.match(await page.textContent('[data-group="g"] .member[data-consumer="a"]'), /waiting for its assignment/);
  // After the join: a owns both partitions; the lanes carry no rebalance.
  while (await clockMs(page) < 4000) await page.click('#step');
  await page.waitForFunction(() => document.querySelectorAll('.log-row .group-lane.awaiting').length === 0);
  assert.equal(await page.locator('[data-group="g"] .member[data-consumer="a"] .idle-badge').count(), 0);
});

test('a flood of records stops at the record limit and says why, instead of filling the tab\'s memory', async () => {
  const page = await open('scenario=two-groups&t=0');
  await openFile(page, 'flood.toml', [
    'version = 1', 'name = "Flood"', 'seed = 1', 'until_ms = 3600000',
    '[[topics]]', 'name = "t"', 'partitions = 8',
    '[[producers]]', 'id = "p"', 'topic = "t"', 'rate_per_sec = 1000000',
  ], 'Flood');
  await page.selectOption('#speed', '6');
  await page.click('#play');
  await page.waitForSelector('.error-banner', { timeout: 30_000 });
  assert.match(await page.textContent('.error-banner'), /this run has produced 1,000,000 records/);
  await page.waitForFunction(() => !document.querySelector('#step')?.disabled, null, { timeout: 10_000 });
  const stopped = await clockMs(page);
  assert.ok(stopped <= 1200, `1,000,000 a second reach the limit in about 1 s (stopped at ${stopped} ms)`);
  const hw = await page.$$eval('.log-row', (rows) => rows.reduce((sum, r) => sum + Number(r.querySelector('.log-meta')?.textContent.match(/HW (\d+)/)?.[1] ?? 0), 0));
  assert.ok(hw >= 1_000_000 && hw < 1_200_000, `the logs hold about a million records (${hw})`);
  // Playing again stops again, still saying why.
  await page.click('#dismiss-error');
  await page.click('#play');
  await page.waitForSelector('.error-banner');
  await page.waitForFunction(() => !document.querySelector('#step')?.disabled);
  assert.equal(await clockMs(page), stopped);
});

test('a run that fills the page\'s memory stops at 1 GB and says why, instead of the page dying', async () => {
  // 10,000 partitions, a producer, 200 cooperative consumers joining 10 ms
  // apart: a rebalance every 10 ms. Unguarded, the WebAssembly memory ran
  // out at 2.9 s and the page stopped working.
  const page = await open('scenario=two-groups&t=0');
  const lines = [
    'version = 1', 'name = "Crowd"', 'seed = 1', 'until_ms = 20000',
    '[broker]', '"group.initial.rebalance.delay.ms" = 0',
    '[[topics]]', 'name = "t"', 'partitions = 10000',
    '[[producers]]', 'id = "p"', 'topic = "t"', 'rate_per_sec = 1000',
  ];
  for (let i = 0; i < 200; i++) {
    lines.push('[[consumers]]', `id = "c${i}"`, 'subscribe = ["t"]', `start_ms = ${i * 10}`,
      '[consumers.config]', '"group.id" = "g"', '"partition.assignment.strategy" = "cooperative-sticky"');
  }
  await openFile(page, 'crowd.toml', lines, 'Crowd');
  await page.selectOption('#speed', '6');
  await page.click('#play');
  await page.waitForSelector('.error-banner', { timeout: 60_000 });
  assert.match(await page.textContent('.error-banner'), /this run holds 1 GB of memory/);
  await page.waitForFunction(() => !document.querySelector('#step')?.disabled);
  const stopped = await clockMs(page);
  assert.ok(stopped < 2900, `stopped at ${stopped} ms, before the memory ran out`);
  // The page still works: Restart runs the file again from 0.
  await page.click('#restart');
  await page.waitForFunction(() => document.querySelector('#clock')?.textContent === '0.000 s');
  assert.deepEqual(page.errors, []);
});

test('5.6.4: a seek is previewed on the log, then the position lands there', async () => {
  const page = await open('scenario=seek&t=5000');
  await page.click('.consumer-chip:text-is("c1")');
  await page.waitForSelector('#consumer-panel[data-consumer="c1"]');
  const position = async () => Number((await page.textContent('.consumer-lane[data-consumer="c1"] .position-mark .mark-text')).match(/\d+/)[0]);
  const before = await position();
  assert.ok(before > 4, `c1 has read past offset 4 (position ${before})`);
  await page.fill('#seek-offset', '2');
  // The log shows where the position will land and what will be read again.
  await page.waitForSelector('.seek-mark[data-seek-to="2"]');
  assert.match(await page.textContent('.seek-mark .mark-text'), new RegExp(`replays ${before - 2}`));
  assert.ok(await page.isVisible('.seek-span.replay'));
  await screenshot(page, 'seek-preview');
  await page.click('#seek-apply');
  await page.waitForFunction(() => !document.querySelector('.seek-mark'));
  assert.equal(await position(), 2, 'the position moved to the previewed offset');
  assert.ok(await shownInLog(page, 'position_changed'));
  assert.deepEqual(page.errors, []);
});

test('the run exports as a scenario file that opens again', async () => {
  const page = await open('scenario=two-groups&t=3000');
  await page.click('[data-group="billing"] .consumer-chip:text-is("billing-1")');
  await page.click('#action-crash');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  assert.match(text, /action = "crash"/);
  assert.equal(download.suggestedFilename(), 'two-groups-run.toml');
  await page.setInputFiles('#open-file', { name: 'two-groups-run.toml', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForSelector('.event[data-type="model_started"], #logs');
  assert.equal(await page.textContent('#scenario-name'), 'Two consumer groups');
});

test('Korean readers get Korean scenario titles', async () => {
  const page = await newPage(browser, { locale: 'ko-KR' });
  await page.goto(`${server.url}`);
  await page.waitForSelector('#scenario-menu');
  assert.match(await page.textContent('[data-scenario="seek"] strong'), /원하는 오프셋부터 읽기/);
  await page.click('[data-scenario="seek"]');
  await page.waitForSelector('#logs');
  assert.match(await page.textContent('#scenario-name'), /원하는 오프셋부터 읽기/);
  await screenshot(page, 'seek-ko');
});

test('5.2: the console pane prints what a consumer received, as kafka-console-consumer does', async () => {
  const page = await open('scenario=two-groups&t=8000');
  await page.click('[data-group="billing"] .consumer-chip:text-is("billing-1")');
  await page.waitForSelector('#console[data-consumer="billing-1"]');
  const command = await page.textContent('#console-command');
  assert.match(command, /kafka-console-consumer\.sh --bootstrap-server \S+ --topic orders --group billing/);
  const before = await page.$$eval('#console-output .console-line', (ls) => ls.map((l) => l.textContent));
  assert.ok(before.length > 3, `${before.length} lines`);
  assert.ok(before.every((l) => !l.includes('\t')), 'by default only values are printed');
  await page.check('[data-flag="print.partition"]');
  await page.check('[data-flag="print.key"]');
  const after = await page.$$eval('#console-output .console-line', (ls) => ls.map((l) => l.textContent));
  assert.ok(after.every((l) => /^Partition:[01]\t[^\t]+\t[^\t]+$/.test(l)), after.slice(0, 3).join(' | '));
  assert.match(await page.textContent('#console-command'), /--property print\.partition=true --property print\.key=true/);
  await screenshot(page, 'console');
});

test('the embed example page shows the app inside iframes, compact and autoplaying', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(`${server.url}embed-example.html`);
  const [playing, paused] = page.frames().filter((f) => f !== page.mainFrame());
  assert.ok(playing && paused, 'two iframes');
  await playing.waitForSelector('#logs');
  assert.equal(await playing.isVisible('.app-header'), false, 'no chrome in an embed');
  assert.equal(await playing.isVisible('.add-client, #export'), false);
  // Autoplay: the clock runs by itself.
  await playing.waitForFunction(() => parseFloat(document.querySelector('#clock').textContent) > 0.5);
  await paused.waitForSelector('#logs');
  assert.match(await paused.textContent('#scenario-name'), /파티션/);
  assert.equal(await paused.textContent('#clock'), '6.000 s');
  await screenshot(page, 'embed-example');
  assert.deepEqual(page.errors, []);
});

test('a saved recording replays the same run without its source, and refuses actions', async () => {
  const page = await open('scenario=auto-commit-crash-duplicates&t=30000');
  const duplicates = '[data-group="app"] .duplicates';
  const recorded = await count(page, duplicates);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-recording')]);
  assert.equal(download.suggestedFilename(), 'auto-commit-crash-duplicates.recording.jsonl');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  assert.match(text.split('\n')[0], /^\{"offsetlab_recording":1,"protocol_version":1/);

  const fresh = await newPage(browser, { locale: 'en-US' });
  await fresh.goto(server.url);
  await fresh.waitForSelector('#scenario-menu');
  await fresh.setInputFiles('#open-file', { name: 'run.recording.jsonl', mimeType: 'application/json', buffer: Buffer.from(text) });
  await fresh.waitForSelector('#logs');
  assert.equal(await fresh.isVisible('#export'), false, 'a recording is not a scenario to export');
  await fresh.selectOption('#speed', '6');
  await fresh.click('#play');
  await fresh.waitForFunction((sel) => !document.querySelector('#play').textContent.includes('Pause'), null, { timeout: 20_000 });
  assert.equal(await count(fresh, duplicates), recorded, 'the replay ends where the recording did');
  await fresh.click('[data-group="app"] .consumer-chip:text-is("c2")');
  await fresh.click('#action-commit');
  assert.match(await fresh.textContent('.error-banner'), /this is a recording/);
  assert.deepEqual(fresh.errors, []);
});

test('a shared link reopens the same run, moment and view', async () => {
  const page = await open('scenario=two-groups&t=3000');
  await page.click('[data-group="billing"] .consumer-chip:text-is("billing-1")');
  await page.click('#action-crash');
  await page.selectOption('#speed', '6');
  await page.click('#play');
  // Playback pauses by itself at the scenario's end (15 s). A click to
  // pause could land after that, on a slow machine, and play on instead.
  await page.waitForFunction(() => !document.querySelector('#step').disabled
    && parseFloat(document.querySelector('#clock').textContent) >= 15, null, { timeout: 20_000 });
  await page.selectOption('#follow-key', { index: 1 });
  await page.click('#share');
  const link = await page.inputValue('#share-link');
  assert.equal(page.url(), link, 'the address bar is the link');
  assert.match(link, /[?&]run=[A-Za-z0-9_-]+/, 'a changed run travels as a whole file');
  const state = async (p) => ({
    clock: await p.textContent('#clock'),
    billing: await p.textContent('[data-group="billing"]'),
    selected: await p.getAttribute('#consumer-panel', 'data-consumer'),
    follow: await p.inputValue('#follow-key'),
    speed: await p.inputValue('#speed'),
  });
  const before = await state(page);
  const other = await newPage(browser, { locale: 'ko-KR' });
  await other.goto(link);
  await other.waitForSelector('#logs');
  await other.waitForSelector('#consumer-panel');
  // The link carries the language too: the same words, not the reader's Korean.
  assert.deepEqual(await state(other), before);
  assert.deepEqual(other.errors, []);
});
