/**
 * Generates src/schema/fast-parse.generated.ts from the zod schemas in
 * src/schema/config.ts: a plain-JavaScript reader of the unified config that
 * returns exactly what `UnifiedConfig.safeParse(value).data` returns (same
 * values, same key order) for the documents it accepts, and gives up on
 * anything else so that zod runs and reports the problem as before.
 *
 * Why: zod builds a payload and an issue list for every value of a document
 * and compiles a parser per object shape with `new Function`; on a config with
 * 10,000 datasets that is most of `slipway validate`'s time. The generated code
 * does only the checks, and it does not need zod loaded.
 *
 *   npx tsx build/gen-fast-parse.ts     rewrite the generated file
 *
 * A unit test (test/unit/fast-parse.test.ts) fails when the committed file is
 * not what this script generates now, so a schema change cannot leave it stale.
 *
 * The generator knows the zod types the schema uses and refuses any other (a
 * new kind of schema must be taught here, not silently approximated).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { UnifiedConfig } from '../src/schema/config.js';
import { scalarToString } from '../src/schema/strict.js';

export const generatedPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '../src/schema/fast-parse.generated.ts',
);

/** The parts of a zod schema's `_zod.def` this generator reads. */
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, Schema>;
  catchall?: Schema;
  options?: Schema[];
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  innerType?: Schema;
  defaultValue?: unknown;
  entries?: Record<string, unknown>;
  values?: unknown[];
  in?: Schema;
  out?: Schema;
  transform?: unknown;
  coerce?: boolean;
  mode?: string;
}
interface CheckDef {
  check: string;
  minimum?: number;
  format?: string;
  value?: number;
  inclusive?: boolean;
}
interface Schema {
  _zod: { def: Def };
}

/** Transforms the generator can write as code, by identity. */
const KNOWN_TRANSFORMS = new Map<unknown, (x: string) => string>([
  [scalarToString, (x) => `String(${x})`],
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Objects with at most this many optional keys get an object literal per combination. */
const MAX_VARIANT_OPTIONALS = 2;

function prop(obj: string, key: string): string {
  return IDENTIFIER.test(key) ? `${obj}.${key}` : `${obj}[${JSON.stringify(key)}]`;
}

function fail(path: string, why: string): never {
  throw new Error(`gen-fast-parse: ${path || '(root)'}: ${why}`);
}

function checksOf(s: Schema): CheckDef[] {
  return (s._zod.def.checks ?? []).map((c) => c._zod.def);
}

function noChecks(s: Schema, path: string): void {
  if (checksOf(s).length) fail(path, `checks on a ${s._zod.def.type} are not supported`);
}

/** A JSON literal for a default value; only values that survive JSON unchanged. */
function literal(v: unknown, path: string): string {
  const text = JSON.stringify(v);
  if (text === undefined || JSON.stringify(JSON.parse(text)) !== text)
    fail(path, 'default value is not plain JSON');
  const nested =
    typeof v === 'object' && v !== null && Object.values(v).some((x) => typeof x === 'object');
  // zod hands out a shallow clone of the default; a literal is a deep fresh copy,
  // which is only the same thing when nothing inside is shared.
  if (nested) fail(path, 'default value with nested objects');
  return text;
}

class Generator {
  private names = new Map<Schema, string>();
  private used = new Set<string>();
  private functions: string[] = [];
  private sets: string[] = [];
  private setNames = new Map<string, string>();

  constructor(root: Schema) {
    this.fn(root, '', 'config');
  }

  module(root: Schema): string {
    const rootName = this.names.get(root)!;
    return [
      HEADER,
      ...this.sets,
      '',
      HELPERS,
      ...this.functions,
      `/**
 * The parsed config, exactly as \`UnifiedConfig.safeParse(value).data\`, or
 * undefined when this reader is not sure (invalid, or unusual input): then
 * zod must parse it (and report the problems).
 * \`value\` must come from JSON.parse.
 */
export function fastParseConfig(value: unknown): UnifiedConfig | undefined {
  try {
    return ${rootName}(value) as unknown as UnifiedConfig;
  } catch {
    // BAIL, or anything unexpected (a stack overflow on absurd nesting): zod decides.
    return undefined;
  }
}
`,
    ].join('\n');
  }

  private fresh(base: string): string {
    let name = base.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_') || 'v';
    if (this.used.has(name)) {
      let i = 2;
      while (this.used.has(`${name}_${i}`)) i++;
      name = `${name}_${i}`;
    }
    this.used.add(name);
    return name;
  }

  private enumSet(values: unknown[], path: string): string {
    for (const v of values)
      if (typeof v !== 'string') fail(path, 'only string enum and literal values are supported');
    const key = JSON.stringify(values);
    let name = this.setNames.get(key);
    if (!name) {
      name = `ONE_OF_${this.setNames.size}`;
      this.setNames.set(key, name);
      this.sets.push(`const ${name}: ReadonlySet<unknown> = new Set(${key});`);
    }
    return name;
  }

  /** Name of the function that parses `s` (objects, arrays, records, unions). */
  private fn(s: Schema, path: string, hint: string): string {
    const known = this.names.get(s);
    if (known) return known;
    const def = s._zod.def;
    const prefix = { object: 'obj', array: 'list', record: 'map', union: 'oneOf' }[def.type];
    if (!prefix) fail(path, `no function for a ${def.type}`);
    const name = this.fresh(`${prefix}_${hint}`);
    this.names.set(s, name);
    // Reserve the slot first: the schema is recursive (children, sysconfig).
    const slot = this.functions.length;
    this.functions.push('');
    let body: string;
    switch (def.type) {
      case 'object':
        body = this.object(s, name, path);
        break;
      case 'array':
        body = this.array(s, name, path, hint);
        break;
      case 'record':
        body = this.record(s, name, path, hint);
        break;
      default:
        body = this.union(s, name, path, hint);
    }
    this.functions[slot] = `/** ${path || '(the document)'} */\n${body}`;
    return name;
  }

  private object(s: Schema, name: string, path: string): string {
    noChecks(s, path);
    const def = s._zod.def;
    if (def.catchall?._zod.def.type !== 'never')
      fail(path, 'only strict objects are supported (unknown keys are errors)');
    const lines: string[] = [];
    /** The output's keys in shape order, with the local that holds each value. */
    const fields: { key: string; local: string; optional: boolean }[] = [];
    Object.entries(def.shape ?? {}).forEach(([key, field], k) => {
      if (key === '__proto__' || key in Object.prototype) fail(path, `key "${key}"`);
      const at = path ? `${path}.${key}` : key;
      const local = `x${k}`;
      const fd = field._zod.def;
      const read = `const ${local}_ = ${prop('i', key)};`;
      switch (fd.type) {
        case 'optional': {
          const inner = this.plainInner(fd.innerType!, at);
          fields.push({ key, local, optional: true });
          lines.push(
            `  ${read}`,
            `  let ${local}: unknown;`,
            `  if (${local}_ !== undefined) {`,
            `    n++;`,
            `    ${local} = ${this.value(inner, `${local}_`, at, key)};`,
            `  }`,
          );
          break;
        }
        case 'default':
        case 'prefault': {
          const inner = this.plainInner(fd.innerType!, at);
          const dflt = literal(fd.defaultValue, at);
          // default: the value itself (zod does not parse it); prefault: parsed.
          // An empty list: the one frozen NONE (see HELPERS).
          const absent =
            fd.type !== 'default'
              ? this.value(inner, dflt, at, key)
              : dflt === '[]'
                ? 'NONE'
                : dflt;
          fields.push({ key, local, optional: false });
          lines.push(
            `  ${read}`,
            `  let ${local}: unknown;`,
            `  if (${local}_ === undefined) {`,
            `    ${local} = ${absent};`,
            `  } else {`,
            `    n++;`,
            `    ${local} = ${this.value(inner, `${local}_`, at, key)};`,
            `  }`,
          );
          break;
        }
        default:
          fields.push({ key, local, optional: false });
          lines.push(
            `  ${read}`,
            `  if (${local}_ === undefined) bail();`,
            `  n++;`,
            `  const ${local} = ${this.value(field, `${local}_`, at, key)};`,
          );
      }
    });
    return [
      `function ${name}(v: unknown): Obj {`,
      `  const i = obj(v);`,
      `  let n = 0;`,
      ...lines,
      // Every key read above was present; any other key is unknown (an error).
      `  if (keyCount(i) !== n) bail();`,
      ...this.construct(fields),
      `}`,
      '',
    ].join('\n');
  }

  /**
   * The statements that return the output object: its keys in shape order, an
   * optional key only when its value is there. An object literal gets a hidden
   * class with exactly its fields in the object, where {} and a store per key
   * went through a map transition per key and, past four keys, a separate
   * property array (10,000 datasets: 0.6 MB more to allocate and keep). With
   * up to MAX_VARIANT_OPTIONALS optional keys there is a literal for each
   * combination; with more, a literal of the keys before the first optional
   * one and a store for each key after it.
   */
  private construct(fields: { key: string; local: string; optional: boolean }[]): string[] {
    const entry = (f: { key: string; local: string }) =>
      `${IDENTIFIER.test(f.key) ? f.key : JSON.stringify(f.key)}: ${f.local}`;
    const optional = fields.filter((f) => f.optional);
    if (optional.length <= MAX_VARIANT_OPTIONALS) {
      const out: string[] = [];
      const variants = (chosen: Set<string>, rest: typeof optional, indent: string): void => {
        if (rest.length === 0) {
          const keys = fields.filter((f) => !f.optional || chosen.has(f.key)).map(entry);
          out.push(`${indent}return { ${keys.join(', ')} };`);
          return;
        }
        const [first, ...others] = rest;
        out.push(`${indent}if (${first!.local} === undefined) {`);
        variants(chosen, others, `${indent}  `);
        out.push(`${indent}}`);
        variants(new Set([...chosen, first!.key]), others, indent);
      };
      variants(new Set(), optional, '  ');
      return out;
    }
    const firstOptional = fields.findIndex((f) => f.optional);
    const out = [`  const o: Obj = { ${fields.slice(0, firstOptional).map(entry).join(', ')} };`];
    for (const f of fields.slice(firstOptional))
      out.push(
        f.optional
          ? `  if (${f.local} !== undefined) ${prop('o', f.key)} = ${f.local};`
          : `  ${prop('o', f.key)} = ${f.local};`,
      );
    out.push('  return o;');
    return out;
  }

  /** The schema inside optional/default/prefault, which must not be a wrapper itself. */
  private plainInner(s: Schema, path: string): Schema {
    const t = s._zod.def.type;
    if (t === 'optional' || t === 'default' || t === 'prefault' || t === 'nullable')
      fail(path, `nested ${t}`);
    return s;
  }

  private array(s: Schema, name: string, path: string, hint: string): string {
    noChecks(s, path);
    const el = s._zod.def.element!;
    return [
      `function ${name}(v: unknown): unknown[] {`,
      `  if (!Array.isArray(v)) bail();`,
      `  const len = v.length;`,
      `  const o = new Array<unknown>(len);`,
      `  for (let k = 0; k < len; k++) {`,
      `    const x: unknown = v[k];`,
      `    o[k] = ${this.value(el, 'x', `${path}[]`, `${hint}_item`)};`,
      `  }`,
      `  return o;`,
      `}`,
      '',
    ].join('\n');
  }

  private record(s: Schema, name: string, path: string, hint: string): string {
    noChecks(s, path);
    const def = s._zod.def;
    const key = def.keyType!;
    if (key._zod.def.type !== 'string' || checksOf(key).length || key._zod.def.coerce)
      fail(path, 'record keys other than plain strings');
    if (def.mode && def.mode !== 'strict') fail(path, `record mode ${def.mode}`);
    // zod returns a new object with the same keys in the same order; while every
    // value reads as itself (strings) the input object is that already, and a
    // copy is made only from the first value that reads as something else. (10,000
    // datasets' properties are objects fewer to allocate and collect.)
    return [
      `function ${name}(v: unknown): Obj {`,
      `  const i = obj(v);`,
      `  let o: Obj | undefined;`,
      `  for (const k in i) {`,
      // zod drops a "__proto__" key of a record; leave such a document to zod.
      `    if (k === '__proto__') bail();`,
      `    const x = i[k];`,
      `    const y = ${this.value(def.valueType!, 'x', `${path}.*`, `${hint}_value`)};`,
      `    if (o) o[k] = y;`,
      `    else if (y !== x) o = copyBefore(i, k, y);`,
      `  }`,
      `  return o ?? i;`,
      `}`,
      '',
    ].join('\n');
  }

  /**
   * zod takes the first branch that parses. Each branch here has a guard that
   * every value it accepts passes (its type), so a branch whose guard fails
   * would fail in zod too; the first branch whose guard passes is tried, and if
   * it fails the document goes to zod (which may find a later branch, or not).
   */
  private union(s: Schema, name: string, path: string, hint: string): string {
    noChecks(s, path);
    const lines = (s._zod.def.options ?? []).map(
      (o, k) =>
        `  if (${this.guard(o, 'x', path)}) return ${this.value(o, 'x', path, `${hint}_${k}`)};`,
    );
    return [`function ${name}(x: unknown): unknown {`, ...lines, `  return bail();`, `}`, ''].join(
      '\n',
    );
  }

  /** A condition that every value `s` accepts satisfies. */
  private guard(s: Schema, x: string, path: string): string {
    const def = s._zod.def;
    switch (def.type) {
      case 'string':
      case 'number':
      case 'boolean':
        return `typeof ${x} === '${def.type}'`;
      case 'literal':
      case 'enum':
        return `${this.valuesSet(s, path)}.has(${x})`;
      case 'object':
      case 'record':
        return `typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x})`;
      case 'array':
        return `Array.isArray(${x})`;
      case 'union':
        return (def.options ?? []).map((o) => `(${this.guard(o, x, path)})`).join(' || ');
      case 'pipe':
        return this.guard(def.in!, x, path);
      default:
        return fail(path, `no guard for a ${def.type} in a union`);
    }
  }

  private valuesSet(s: Schema, path: string): string {
    const def = s._zod.def;
    const values = def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []);
    if (def.type === 'enum' && Object.keys(def.entries ?? {}).some((k, i) => values[i] !== k))
      fail(path, 'enum entries whose keys differ from their values');
    return this.enumSet(values, path);
  }

  /** An expression: what zod returns for the value in `x` (evaluated more than once), or BAIL. */
  private value(s: Schema, x: string, path: string, hint: string): string {
    const def = s._zod.def;
    if (def.coerce) fail(path, 'coercion');
    switch (def.type) {
      case 'string': {
        const conds = [`typeof ${x} === 'string'`];
        for (const c of checksOf(s)) {
          if (c.check !== 'min_length') fail(path, `string check ${c.check}`);
          // zod counts code points when the UTF-16 length is below twice the
          // minimum; at or above it the length settles it. Shorter: zod decides.
          conds.push(`${x}.length >= ${2 * c.minimum!}`);
        }
        return `(${conds.join(' && ')} ? ${x} : bail())`;
      }
      case 'number': {
        // z.number() accepts finite numbers only.
        const conds = [`typeof ${x} === 'number'`];
        let finite = `Number.isFinite(${x})`;
        for (const c of checksOf(s)) {
          if (c.check === 'number_format' && c.format === 'safeint')
            finite = `Number.isSafeInteger(${x})`;
          else if (c.check === 'greater_than')
            conds.push(`${x} ${c.inclusive ? '>=' : '>'} ${JSON.stringify(c.value)}`);
          else fail(path, `number check ${c.check} ${c.format ?? ''}`);
        }
        conds.splice(1, 0, finite);
        return `(${conds.join(' && ')} ? ${x} : bail())`;
      }
      case 'boolean':
        noChecks(s, path);
        return `(typeof ${x} === 'boolean' ? ${x} : bail())`;
      case 'enum':
      case 'literal':
        noChecks(s, path);
        return `(${this.valuesSet(s, path)}.has(${x}) ? ${x} : bail())`;
      case 'object':
      case 'array':
      case 'record':
      case 'union':
        return `${this.fn(s, path, hint)}(${x})`;
      case 'pipe': {
        noChecks(s, path);
        const out = def.out!._zod.def;
        const write = out.type === 'transform' ? KNOWN_TRANSFORMS.get(out.transform) : undefined;
        if (!write) fail(path, 'a pipe into anything but a known transform');
        return write(this.value(def.in!, x, path, hint));
      }
      default:
        return fail(path, `unsupported zod type ${def.type}`);
    }
  }
}

const HEADER = `// Generated by build/gen-fast-parse.ts from the zod schemas in src/schema/config.ts.
// Do not edit: run \`npx tsx build/gen-fast-parse.ts\` (test/unit/fast-parse.test.ts
// fails when this file is not what the generator writes).
//
// A reader of JSON.parse output that returns exactly what zod's
// UnifiedConfig.safeParse returns (objects built in shape order, defaults
// fresh, absent optional keys not set, first matching union branch), and
// throws BAIL for anything it is not sure of, so that zod parses and reports.
// It imports no zod: a valid config is read without loading the schemas.
import type { UnifiedConfig } from './config.js';

type Obj = Record<string, unknown>;
`;

const HELPERS = `const BAIL: unique symbol = Symbol('fast-parse: not handled');

/**
 * Every absent list whose default is empty: one frozen array, where zod hands
 * out a new one each time (equal in value). Nothing that reads a config changes
 * its lists in place (an edit makes a new list), and a frozen one would throw
 * rather than change every other absent list. The 10,000 leaf datasets'
 * \`children\` and the 21 lists of each nested config: ~0.3 MB fewer objects to
 * allocate and keep (the reader ~8 ms faster on such a config).
 */
const NONE = Object.freeze([]) as readonly unknown[] as unknown[];

function bail(): never {
  throw BAIL;
}

/** A plain object as JSON.parse makes it (zod takes any non-array object; others: zod). */
function obj(v: unknown): Obj {
  if (
    typeof v !== 'object' ||
    v === null ||
    Array.isArray(v) ||
    Object.getPrototypeOf(v) !== Object.prototype
  )
    bail();
  return v as Obj;
}

/** A new object with the keys of \`i\` before \`key\` (their values as they are), then \`key\`: \`value\`. */
function copyBefore(i: Obj, key: string, value: unknown): Obj {
  const o: Obj = {};
  for (const k in i) {
    if (k === key) break;
    o[k] = i[k];
  }
  o[key] = value;
  return o;
}

function keyCount(i: Obj): number {
  let n = 0;
  for (const _k in i) n++;
  return n;
}
`;

/** The module's text, formatted as the repository formats TypeScript (prettier). */
export async function generateFastParse(): Promise<string> {
  const g = new Generator(UnifiedConfig as unknown as Schema);
  const code = g.module(UnifiedConfig as unknown as Schema);
  const options = await prettier.resolveConfig(generatedPath);
  return prettier.format(code, { ...options, filepath: generatedPath });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(generatedPath, await generateFastParse());
  process.stdout.write(`wrote ${generatedPath}\n`);
}
