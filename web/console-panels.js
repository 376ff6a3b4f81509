// console-panels.js: the console's evaluation and report panels (notes, observers,
// objectives, self-assessment, improvement plan, shared screen, report, adoption board)
// are <details class="panel" data-panel="…">, closed until the facilitator opens them, so
// the first screen is the clock, the grid and the current inject. Which ones are open
// is remembered in this browser (localStorage), for every exercise. A panel's summary
// carries a count (data-count) so a closed panel still says what is in it.

const KEY = 'tt.console.panels';

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || '{}') ?? {};
  } catch {
    return {};
  }
}

/** Opens the panels this browser left open, and remembers every toggle from now on. */
export function setup(root = document) {
  const open = load();
  for (const panel of root.querySelectorAll('details.panel[data-panel]')) {
    panel.open = Boolean(open[panel.dataset.panel]);
    panel.addEventListener('toggle', () => {
      const now = load();
      if (panel.open) now[panel.dataset.panel] = true;
      else delete now[panel.dataset.panel];
      try {
        localStorage.setItem(KEY, JSON.stringify(now));
      } catch { /* not remembered: still works */ }
    });
  }
}

/** Sets the count a panel's summary shows (empty: none shown). */
export function count(panelId, n, { attention = false } = {}) {
  const badge = document.querySelector(`#${panelId} > summary .panel-count`);
  if (!badge) return;
  const value = n ? String(n) : '';
  if (badge.textContent !== value) badge.textContent = value;
  badge.hidden = !value;
  badge.classList.toggle('attention', attention && Boolean(n));
}
