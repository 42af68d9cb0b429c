// The first screens people open a scenario on, shared by the split's profile
// (xtask/split-profile.mjs), which keeps the code and data they use in the
// first module, and by the test that each needs nothing from the rest
// (split.test.mjs): every built-in scenario embedded and autoplaying, as
// documentation pages show it, and linked into the full view at a later
// moment, then played, paused, stepped and scrubbed back with the keyboard.
// Each scenario is opened in both languages, one per way in.

/** Where a linked scenario opens (`t=`), in ms: the shortest runs 8 s. */
export const LINKED_AT_MS = 5000;

/** [{ embedded, query, locale }] for each scenario: embedded, then linked. */
export function scenarioScreens(names) {
  return names.flatMap((name, i) => {
    const [embedLocale, linkLocale] = i % 2 === 0 ? ['en-US', 'ko-KR'] : ['ko-KR', 'en-US'];
    return [
      { embedded: true, query: `?embed&scenario=${name}&autoplay=1`, locale: embedLocale },
      { embedded: false, query: `?scenario=${name}&t=${LINKED_AT_MS}`, locale: linkLocale },
    ];
  });
}

/** Waits until the scenario's partitions are drawn. */
export const shown = (page) => page.waitForSelector('#logs [data-partition]', { state: 'attached' });

const clockAbove = (page, seconds) =>
  page.waitForFunction((s) => parseFloat(document.querySelector('#clock').textContent) > s, seconds);

/**
 * Uses a shown screen as a person would for `seconds` of virtual time: an
 * embed plays by itself; the full view is played with Space, paused, stepped
 * with → and scrubbed back with ←.
 */
export async function use(page, { embedded }, seconds) {
  if (embedded) {
    await clockAbove(page, seconds);
    return;
  }
  await page.keyboard.press('Space');
  await clockAbove(page, LINKED_AT_MS / 1000 + seconds);
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
}
