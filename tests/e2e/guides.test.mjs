// Issue 6: every guided scenario opens by URL in both languages, and the
// presenter's keys walk its steps; the outcomes the chapter teaches show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setup, newPage, screenshot, builtInScenarios, DIST } from './harness.mjs';

let server, browser;
setup((s, b) => {
  server = s;
  browser = b;
});

const guided = [];
for (const id of await builtInScenarios()) {
  if (/^\[guide\]/m.test(await readFile(join(DIST, 'scenarios', `${id}.toml`), 'utf8'))) guided.push(id);
}

let totalChecks = 0;
const clockMs = async (page) => Math.round(parseFloat(await page.textContent('#clock')) * 1000);

test('there are guided scenarios for the chapter', () => {
  assert.ok(guided.length >= 10, `${guided.length} guided scenarios: ${guided.join(', ')}`);
});

for (const id of guided) {
  for (const lang of ['en', 'ko']) {
    test(`${id} (${lang}): the guide's steps walk the run`, async () => {
      const page = await newPage(browser);
      await page.goto(`${server.url}?scenario=${id}&lang=${lang}&present`);
      await page.waitForSelector('#guide');
      const question = await page.textContent('.guide-question');
      assert.ok(question.length > 10, question);
      if (lang === 'ko') assert.match(question + (await page.textContent('.guide-explanation')), /[가-힣]/);
      const steps = await page.$$eval('.guide-step', (ls) => ls.map((l) => Number(l.dataset.at)));
      assert.ok(steps.length >= 2, `${steps.length} steps`);
      // The keys move between moments; steps may share one.
      for (const [i, at] of [...new Set(steps)].entries()) {
        await page.keyboard.press('PageDown');
        await page.waitForFunction((t) => Math.round(parseFloat(document.querySelector('#clock').textContent) * 1000) >= t, at);
        assert.equal(await clockMs(page), at, `step ${i + 1} shows its moment`);
        const current = await page.$$eval('.guide-step', (ls) => ls.findIndex((l) => l.classList.contains('current')));
        // The current step is the last one at or before the moment.
        assert.equal(steps[current], at);
        assert.ok(current === steps.length - 1 || steps[current + 1] > at);
      }
      // The outcome the scenario teaches: every step's expectation, checked
      // by the model in the page at exactly its moment, held on this run.
      const checks = await page.$$eval('.guide-step .check', (cs) => cs.map((c) => [c.dataset.check, c.title]));
      const failed = checks.filter(([state]) => state !== 'ok');
      assert.deepEqual(failed, [], `${id}: expectations that did not hold or were not reached`);
      totalChecks += checks.length;
      // And back: PageUp returns to the previous moment by scrubbing.
      if (new Set(steps).size > 1) {
        await page.keyboard.press('PageUp');
        assert.ok((await clockMs(page)) < steps.at(-1));
      }
      await screenshot(page, `guide-${id}-${lang}`);
      assert.deepEqual(page.errors, []);
    });
  }
}

test('a presenter folds the guide away on a 1280x720 projector, and it stays folded while playing and stepping', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 720 } });
  await page.goto(`${server.url}?scenario=session-timeout&lang=ko&present&t=16000`);
  await page.waitForSelector('#logs .log-row');
  const logsTop = () => page.$eval('#logs', (l) => Math.round(l.getBoundingClientRect().top));
  const unfolded = await logsTop();
  await page.click('#guide > summary');
  assert.equal(await page.$eval('#guide', (d) => d.open), false);
  assert.ok(await page.isHidden('.guide-steps'), 'the steps fold away');
  const folded = await logsTop();
  assert.ok(folded < 400 && folded < unfolded - 250, `the logs move up from ${unfolded} px to ${folded} px`);
  // Redraws while playing, and a step by key, leave it folded.
  await page.click('#play');
  await page.waitForFunction(() => parseFloat(document.querySelector('#clock').textContent) > 16.5);
  await page.click('#play');
  await page.keyboard.press('PageDown');
  await page.waitForFunction(() => parseFloat(document.querySelector('#clock').textContent) >= 32);
  assert.equal(await page.$eval('#guide', (d) => d.open), false, 'still folded');
  await page.click('#guide > summary');
  assert.ok(await page.isVisible('.guide-step.current'), 'unfolded again, with the current step');
  assert.deepEqual(page.errors, []);
});

test('the guides checked outcomes, not just moments', () => {
  assert.ok(totalChecks >= 60, `${totalChecks} expectations checked in the browser`);
});
