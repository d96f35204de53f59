// Stands in for the `diff` of Ink's reconciler (ink/build/reconciler.js) in the
// bundle (see build/options.mjs): the same result, allocating only the object it
// returns.
//
// Ink compares the old and new props, and the old and new style, of every element a
// render updates (two calls per element per frame). Its diff walks
// `Object.keys(...)` with for-of and makes a `changed` object on every call, changed
// or not; until a function is optimised, the for-of allocates an iterator result per
// key, and the TUI never optimises (src/cli/tui.ts): on the Datasets screen that was
// a quarter of what a keystroke allocated. Here the keys are walked with for-in (own
// keys only, in the same order as Object.keys) and `changed` is made at the first
// difference. test/unit/ink-diff.test.ts compares both on random props.
//
// The loop of Ink's commitUpdate over what diff returned is replaced too (INK_PROPS_LOOP):
// `for (const [key, value] of Object.entries(props))` made an array of entries and,
// unoptimised, an iterator result per entry and an iterator per destructuring; a for-in
// visits the same keys in the same order (diff returns a plain object of its own
// making, or the new props, which React makes plain).

/**
 * The props of `after` that differ from `before` (deleted ones as undefined: those of
 * `before` first, in their order, then those of `after`), or undefined when none do;
 * `after` itself when there is no `before`.
 */
export function diff(before, after) {
  if (before === after) return undefined;
  if (!before) return after;
  let changed;
  for (const key in before) {
    if (!Object.hasOwn(before, key)) continue;
    if (!after || !Object.hasOwn(after, key)) (changed ??= {})[key] = undefined;
  }
  if (after)
    for (const key in after) {
      if (!Object.hasOwn(after, key)) continue;
      if (after[key] !== before[key]) (changed ??= {})[key] = after[key];
    }
  return changed;
}

/** Ink 6's diff, as its reconciler declares it: what the build replaces (text must match). */
export const INK_DIFF_SOURCE = `const diff = (before, after) => {
    if (before === after) {
        return;
    }
    if (!before) {
        return after;
    }
    const changed = {};
    let isChanged = false;
    for (const key of Object.keys(before)) {
        const isDeleted = after ? !Object.hasOwn(after, key) : true;
        if (isDeleted) {
            changed[key] = undefined;
            isChanged = true;
        }
    }
    if (after) {
        for (const key of Object.keys(after)) {
            if (after[key] !== before[key]) {
                changed[key] = after[key];
                isChanged = true;
            }
        }
    }
    return isChanged ? changed : undefined;
};`;

/** Ink 6's loop over the changed props in commitUpdate, and what the build writes instead. */
export const INK_PROPS_LOOP = {
  source: 'for (const [key, value] of Object.entries(props)) {',
  replacement: 'for (const key in props) { const value = props[key];',
};
