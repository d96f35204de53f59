/**
 * The one key map: every key the wizard takes, its label for hint lines, and
 * which screen takes which. Input hooks ask `is('toggle', input, key)`.
 */
import type { Key } from 'ink';

export type KeyName =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'left'
  | 'right'
  | 'toggle'
  | 'confirm'
  | 'back'
  | 'help'
  | 'quit'
  | 'rescan'
  | 'add'
  | 'addZvol'
  | 'addTop'
  | 'addPool'
  | 'rename'
  | 'remove'
  | 'cycleType'
  | 'quota'
  | 'reservation'
  | 'property'
  | 'snapshot'
  | 'replicate'
  | 'nextPool'
  | 'tab'
  | 'save'
  | 'next'
  | 'enterNext';

interface Binding {
  label: string;
  desc: string;
  test(input: string, key: Key): boolean;
}

const ch = (c: string) => (input: string, key: Key) => input === c && !key.ctrl && !key.meta;

export const KEYMAP: Record<KeyName, Binding> = {
  up: { label: '↑↓', desc: 'move', test: (_i, k) => k.upArrow },
  down: { label: '↑↓', desc: 'move', test: (_i, k) => k.downArrow },
  pageUp: { label: 'PgUp/PgDn', desc: 'page', test: (_i, k) => k.pageUp },
  pageDown: { label: 'PgUp/PgDn', desc: 'page', test: (_i, k) => k.pageDown },
  left: { label: '←→', desc: 'change', test: (_i, k) => k.leftArrow },
  right: { label: '←→', desc: 'change', test: (_i, k) => k.rightArrow },
  toggle: { label: 'Space', desc: 'toggle', test: ch(' ') },
  confirm: { label: 'Enter', desc: 'confirm', test: (_i, k) => k.return },
  back: { label: 'Esc', desc: 'back', test: (_i, k) => k.escape },
  help: { label: '?', desc: 'help', test: ch('?') },
  quit: { label: 'Ctrl-C', desc: 'quit', test: (i, k) => k.ctrl && i === 'c' },
  rescan: { label: 'r', desc: 'rescan', test: ch('r') },
  add: { label: 'a', desc: 'add', test: ch('a') },
  addZvol: { label: 'v', desc: 'add zvol', test: ch('v') },
  addTop: { label: 'A', desc: 'add at pool top', test: ch('A') },
  addPool: { label: 'n', desc: 'new pool', test: ch('n') },
  rename: { label: 'e', desc: 'rename', test: ch('e') },
  remove: { label: 'x', desc: 'remove', test: (i, k) => (i === 'x' && !k.ctrl) || k.delete },
  cycleType: { label: 't', desc: 'vdev type', test: ch('t') },
  quota: { label: 'q', desc: 'quota', test: ch('q') },
  reservation: { label: 'R', desc: 'reservation', test: ch('R') },
  property: { label: 'p', desc: 'property', test: ch('p') },
  snapshot: { label: 's', desc: 'snapshot', test: ch('s') },
  replicate: { label: 'y', desc: 'replicate', test: ch('y') },
  nextPool: { label: 'Tab', desc: 'next pool', test: (_i, k) => k.tab },
  tab: { label: 'Tab', desc: 'next view', test: (_i, k) => k.tab },
  save: { label: 'w', desc: 'write config', test: ch('w') },
  /** On screens where Enter edits the row under the cursor, `c` goes on. */
  next: { label: 'c', desc: 'continue', test: ch('c') },
  enterNext: { label: 'Enter', desc: 'continue', test: (_i, k) => k.return },
};

export function is(name: KeyName, input: string, key: Key): boolean {
  return KEYMAP[name].test(input, key);
}

export type ScreenName =
  | 'welcome'
  | 'disks'
  | 'topology'
  | 'datasets'
  | 'containers'
  | 'system'
  | 'review'
  | 'confirm'
  | 'apply';

const COMMON: KeyName[] = ['back', 'help', 'quit'];

/** The keys each screen takes, in hint-line order (pairs like up/down share one label). */
export const SCREEN_KEYS: Record<ScreenName, KeyName[]> = {
  welcome: ['enterNext', 'help', 'quit'],
  disks: ['up', 'pageUp', 'toggle', 'rescan', 'enterNext', ...COMMON],
  topology: [
    'up',
    'confirm',
    'toggle',
    'cycleType',
    'left',
    'remove',
    'addPool',
    'nextPool',
    'next',
    ...COMMON,
  ],
  datasets: [
    'up',
    'add',
    'addTop',
    'addZvol',
    'rename',
    'remove',
    'quota',
    'reservation',
    'property',
    'snapshot',
    'replicate',
    'toggle',
    'next',
    ...COMMON,
  ],
  containers: ['up', 'add', 'remove', 'confirm', 'tab', 'next', ...COMMON],
  system: ['up', 'confirm', 'next', ...COMMON],
  review: ['up', 'pageUp', 'tab', 'save', 'enterNext', ...COMMON],
  confirm: ['confirm', 'back', 'quit'],
  apply: ['quit'],
};

/** The keys of a form opened below the Containers or System screen's first level. */
export const FORM_KEYS: Record<'list' | 'entry', KeyName[]> = {
  list: ['up', 'confirm', 'add', 'remove', 'back', 'help', 'quit'],
  entry: ['up', 'confirm', 'back', 'help', 'quit'],
};

/** Labels for a hint line: each label once, "label desc". */
export function hintItems(names: readonly KeyName[]): { label: string; desc: string }[] {
  const seen = new Set<string>();
  const out: { label: string; desc: string }[] = [];
  for (const n of names) {
    const b = KEYMAP[n];
    if (seen.has(b.label + b.desc)) continue;
    seen.add(b.label + b.desc);
    out.push({ label: b.label, desc: b.desc });
  }
  return out;
}
