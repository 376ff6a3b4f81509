// console-dom.js: how the console changes its page without rebuilding it. A push changes
// only the rows and cells it concerns: rows are keyed (data-key), made once and patched
// in place, so an opened <details>, the focus and caret in a field, the hover on a cell
// and the button under the pointer all survive the pushes of a live room. Renders that
// many pushes would repeat (a burst of answers) are coalesced to one per animation frame.

/** Sets an element's text, only when it differs (no mutation, no flicker otherwise). */
export function setText(el, value) {
  const v = value ?? '';
  if (el.textContent !== v) el.textContent = v;
  return el;
}

/** Sets (or, with null/undefined/false, removes) an attribute, only when it differs. */
export function setAttr(el, name, value) {
  if (value === null || value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== String(value)) {
    el.setAttribute(name, value);
  }
  return el;
}

/** Shows or hides an element (its `hidden` property), only when it changes. */
export function setHidden(el, hidden) {
  if (el.hidden !== Boolean(hidden)) el.hidden = Boolean(hidden);
  return el;
}

/**
 * Makes `parent`'s keyed children match `items`, in order, touching only what changed.
 * - `key(item)`: a string unique among the items (kept in the child's data-key);
 * - `make(item)`: builds a child for a new key;
 * - `patch(el, item)` (optional): updates an existing child in place. Without it the
 *   child is built again and swapped in only when it differs (`isEqualNode`): fit for
 *   rows without fields, whose listeners read their data by id.
 * A child is moved only when it is out of place (a move loses the focus inside it);
 * children without a data-key (a heading, a placeholder) are left alone, first.
 * Returns the children, by key.
 */
export function keyed(parent, items, key, make, patch) {
  const old = new Map();
  for (const el of parent.children) if (el.dataset.key !== undefined) old.set(el.dataset.key, el);
  const wanted = [];
  for (const item of items) {
    const k = String(key(item));
    let el = old.get(k);
    if (!el) {
      el = make(item);
      el.dataset.key = k;
    } else if (patch) {
      patch(el, item);
    } else {
      const fresh = make(item);
      fresh.dataset.key = k;
      if (!fresh.isEqualNode(el)) {
        el.replaceWith(fresh);
        el = fresh;
      }
    }
    old.delete(k);
    wanted.push([k, el]);
  }
  for (const el of old.values()) el.remove();
  // Keyed children go after the unkeyed ones, in the items' order.
  let at = [...parent.children].filter((c) => c.dataset.key === undefined).length;
  for (const [, el] of wanted) {
    if (parent.children[at] !== el) parent.insertBefore(el, parent.children[at] ?? null);
    at++;
  }
  return new Map(wanted);
}

/**
 * A render that runs at most once per animation frame however often it is asked for:
 * `const renderSoon = perFrame(render)`; call `renderSoon()` on every push. `now()`
 * runs a pending render at once (for a welcome, or before reading the page).
 */
export function perFrame(render) {
  let queued = false;
  const run = () => {
    if (!queued) return;
    queued = false;
    render();
  };
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(run);
  };
  soon.now = () => {
    queued = true;
    run();
  };
  return soon;
}

/** Empties an element built for another exercise (its rows are not this one's rows);
 *  returns it. */
export function forExercise(el, exerciseId) {
  if (el.dataset.exercise !== exerciseId) {
    el.replaceChildren();
    el.dataset.exercise = exerciseId;
    delete el.dataset.injectId;
  }
  return el;
}
