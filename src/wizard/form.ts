/**
 * The pieces every wizard form is made of: fields, forms (a level of the
 * Containers or System screen: the top form, a list such as a container's
 * ports, or one entry of a list), and the pure helpers that turn typed text
 * into config values. Whether a value is right is not decided here: the
 * validator's own checks run on the edited config (src/wizard/field-check.ts).
 */

export interface Field {
  id: string;
  label: string;
  value: string;
  /** Enter adds something (a user, an interface, a key) rather than editing a value. */
  adds?: boolean;
  /** Enter flips the value instead of asking for text. */
  toggles?: boolean;
  /** Secret values are shown as set/unset only. */
  secret?: boolean;
  help?: string;
  /** Enter opens this form (a list, or one entry of a list) instead of a prompt. */
  opens?: string;
  /** `x`/Delete removes this row: the id of the edit that removes it. */
  removes?: string;
  /** The prompt's label, when not the row's label. */
  ask?: string;
  /** The text the prompt starts with, when not the row's value. */
  text?: string;
}

/** One level of a form screen. */
export interface Form {
  /** This level in the breadcrumb (a container's name, "ports", "port 2"). */
  title: string;
  fields: Field[];
  /** The field `a` opens: the list's "+ add" row. */
  add?: string | undefined;
}

export class FieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldError';
  }
}

/**
 * `value` with its keys in `keys` order and undefined ones left out: the order
 * the schema writes them in, so that a config the wizard edited is written the
 * same way when it is read back (a test compares these orders with the schema).
 * A key missing from `keys` is kept, after the others: nothing is ever lost.
 */
export function ordered<T extends object>(value: T, keys: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  for (const k of Object.keys(value) as (keyof T)[])
    if (!(k in out) && value[k] !== undefined) out[k] = value[k];
  return out as T;
}

/** Trimmed text, or undefined when empty (an optional value left out). */
export function optional(text: string): string | undefined {
  const v = text.trim();
  return v === '' ? undefined : v;
}

/** A whole number as JSON has it; range checks are the validator's. */
export function wholeNumber(text: string, what: string): number {
  const v = text.trim();
  if (!/^-?\d{1,15}$/.test(v)) throw new FieldError(`${what} is a whole number`);
  return Number(v);
}

/** A decimal number such as 1.5 (CPUs). */
export function decimal(text: string, what: string): number {
  const v = text.trim();
  if (!/^-?(?:\d{1,15}(?:\.\d*)?|\.\d+)$/.test(v))
    throw new FieldError(`${what} is a number, e.g. 1.5`);
  return Number(v);
}

export function optionalWhole(text: string, what: string): number | undefined {
  return optional(text) === undefined ? undefined : wholeNumber(text, what);
}

export function optionalDecimal(text: string, what: string): number | undefined {
  return optional(text) === undefined ? undefined : decimal(text, what);
}

/** `a, b c` → ['a', 'b', 'c'] */
export function words(text: string): string[] {
  return text.split(/[,\s]+/).filter(Boolean);
}

/** `NAME=value`: the value as typed (it may be empty, hold "=" or spaces), the name trimmed. */
export function nameValue(text: string, example: string): [string, string] {
  const at = text.indexOf('=');
  const name = (at < 0 ? text : text.slice(0, at)).trim();
  if (at < 0 || name === '') throw new FieldError(`name=value, e.g. ${example}`);
  return [name, text.slice(at + 1)];
}

// ── lists and maps edited as rows ───────────────────────────────────────────
//
// A list `ports` has the rows `ports:0`, `ports:1`, … and `ports:add`; the
// edits are `ports:add` (append), `ports:1` (replace from text), `ports:1:remove`
// and `ports:1:host_port` (one key of an entry, in the entry's own form).

export type ListEdit =
  | { op: 'add' }
  | { op: 'set'; index: number }
  | { op: 'remove'; index: number }
  | { op: 'key'; index: number; key: string };

/** What an id below a list's own id asks for: `add`, `1`, `1:remove`, `1:host_port`. */
export function listEdit(rest: string): ListEdit {
  if (rest === 'add') return { op: 'add' };
  const [n, key] = rest.split(':');
  const index = Number(n);
  if (!/^\d+$/.test(n ?? '')) throw new FieldError(`unknown field ${rest}`);
  if (key === undefined) return { op: 'set', index };
  if (key === 'remove') return { op: 'remove', index };
  return { op: 'key', index, key };
}

/** Apply a list edit; `parse` reads an entry from text, `setKey` one key of it. */
export function editList<T>(
  items: readonly T[],
  edit: ListEdit,
  text: string,
  parse: (text: string, old: T | undefined) => T,
  setKey?: (item: T, key: string, text: string) => T,
): T[] {
  const out = [...items];
  if (edit.op === 'add') {
    out.push(parse(text, undefined));
    return out;
  }
  const old = out[edit.index];
  if (old === undefined) throw new FieldError('no such entry');
  if (edit.op === 'remove') out.splice(edit.index, 1);
  else if (edit.op === 'set') out[edit.index] = parse(text, old);
  else if (setKey) out[edit.index] = setKey(old, edit.key, text);
  else throw new FieldError(`unknown field ${edit.key}`);
  return out;
}

/** Edit a `name → value` map as a list of `NAME=value` rows, keeping each entry's place. */
export function editMap(
  map: Readonly<Record<string, string>>,
  edit: ListEdit,
  text: string,
  example: string,
): Record<string, string> {
  const entries = editList(Object.entries(map), edit, text, (t, old) => {
    const entry = nameValue(t, example);
    if (entry[0] !== old?.[0] && Object.hasOwn(map, entry[0]))
      throw new FieldError(`${entry[0]} is set already (Enter on its row edits it)`);
    return entry;
  });
  return Object.fromEntries(entries);
}

/** Rows of a list form: one per entry, then "+ add". */
export function listForm<T>(spec: {
  id: string;
  title: string;
  noun: string;
  items: readonly T[];
  row: (item: T, index: number) => Pick<Field, 'label' | 'value' | 'secret' | 'text'>;
  /** Entries are objects edited in their own form (Enter opens it). */
  entryForms?: boolean;
  /** Help for editing a row in a prompt (not for entries with their own form). */
  help?: string;
  addHelp: string;
}): Form {
  const fields: Field[] = spec.items.map((item, i) => {
    const id = `${spec.id}:${i}`;
    return {
      id,
      ...spec.row(item, i),
      removes: `${id}:remove`,
      ask: spec.noun,
      ...(spec.entryForms ? { opens: id } : spec.help ? { help: spec.help } : {}),
    };
  });
  const add = `${spec.id}:add`;
  fields.push({
    id: add,
    label: `+ add ${spec.noun}`,
    value: '',
    adds: true,
    ask: `new ${spec.noun}`,
    help: spec.addHelp,
  });
  return { title: spec.title, fields, add };
}

/** The row of the form above that opens a list: its entries in short. */
export function listRow(
  id: string,
  label: string,
  summary: readonly string[],
  help?: string,
): Field {
  return {
    id,
    label,
    value: summary.length ? summary.join(', ') : '(none)',
    opens: id,
    ...(help ? { help } : {}),
  };
}
