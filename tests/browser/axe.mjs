// Accessibility checks with axe-core (the npm package, injected into the page through
// the DevTools protocol, so the pages' CSP stays as it is): the serious and critical
// violations of a page, each with the elements it found, for a clear failure message.

import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { REPO } from './harness.mjs';

const AXE = fs.readFileSync(path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/// Fails unless axe finds no serious or critical violation (WCAG 2.1 A and AA rules and
/// best practices) on what `page` shows now.
export async function assertAccessible(page, what) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  assert.deepEqual(violations, [], `${what}: serious or critical accessibility violations:\n${JSON.stringify(violations, null, 2)}`);
}
