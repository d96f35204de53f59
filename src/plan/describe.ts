import { commandLine, contextLabel, displayCommand, hostArgv, redact, shJoin } from './shell.js';
import type { Diagnostic } from '../schema/diagnostics.js';
import type { Plan, Probe, Step } from './types.js';
import { DeferredStep, HOST } from './builder.js';
import type { DeferredPlan } from './index.js';

/** How apply will tell that a step is already done, in words. */
export function describeProbe(p: Probe): string {
  switch (p.kind) {
    case 'pool-exists':
      return `pool ${p.pool} exists${p.layout ? ' with these vdevs' : ''}${withProps(p.properties, ' (its root dataset with ', ')')}`;
    case 'dataset-exists': {
      // One native join makes the text one flat string: built piece by piece
      // it was a chain of joined strings that JSON.stringify copied flat again
      // for each of 10,000 datasets (its JSON.stringify ~4 ms slower).
      const parts = ['dataset ', p.dataset, ' exists'];
      const props = p.properties;
      let sep = ' with ';
      for (const k in props) {
        parts.push(sep, k, '=', props[k]!);
        sep = ', ';
      }
      return parts.join('');
    }
    case 'dataset-properties':
      return `${p.dataset} has ${Object.entries(p.properties)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`;
    case 'snapshot-exists':
      return `snapshot ${p.snapshot} exists`;
    case 'container-state':
      return p.state === 'exists'
        ? `${p.runtime} container ${p.name} exists${p.spec ? ' as this command creates it' : ''}`
        : `${p.runtime} container ${p.name} is ${p.state}`;
    case 'network-exists':
      return `${p.runtime} network ${p.name} exists`;
    case 'user-exists':
      return `user ${p.user} exists`;
    case 'file-content':
      return `${p.path} has the wanted content`;
    case 'zone-state':
      return `zone ${p.zone} is ${p.state}`;
    case 'jail-running':
      return `jail ${p.jail} is running`;
    case 'command':
      return `${p.description} (${shJoin(p.argv)} exits 0)`;
    case 'journal':
      return `${p.description} (recorded in the journal${p.renewedBy?.length ? `; again after ${p.renewedBy.join(', ')} runs` : ''})`;
    case 'always':
      return `runs every time: ${p.description}`;
  }
}

function withProps(props: Record<string, string> | undefined, before: string, after: string) {
  let list = '';
  // a loop, not entries/map/join: this runs for each of thousands of datasets
  for (const k in props) list += `${list ? ', ' : ''}${k}=${props[k]}`;
  return list ? `${before}${list}${after}` : '';
}

/** A step as `plan --json` and the journal show it. */
export interface StepJson {
  id: string;
  title: string;
  context: Step['context'];
  argv: string[];
  pipe_to?: string[];
  command: string;
  stdin?: string;
  depends_on: string[];
  destroys: boolean;
  devices?: string[];
  probe: Probe;
  done_when: string;
}

/** A step as plain JSON for `plan --json` and the journal: secrets redacted. */
export function stepToJson(step: Step): StepJson {
  const secrets = step.secrets?.length ? step.secrets : undefined;
  // a host step's argv is its host argv: used as it is (hostArgv would copy it)
  const argv = step.context.kind === 'host' ? step.argv : hostArgv(step);
  // Filled in key order (the JSON's), optional keys only when present, without
  // spreads of temporary objects; argv is wrapped for its context once, for both
  // argv and command.
  const out = {
    id: step.id,
    title: secrets ? redact(step.title, secrets) : step.title,
    context: step.context,
    argv: secrets ? argv.map((a) => redact(a, secrets)) : argv,
  } as StepJson;
  if (step.pipeTo) out.pipe_to = secrets ? step.pipeTo.map((a) => redact(a, secrets)) : step.pipeTo;
  out.command = commandLine(argv, step);
  if (step.stdin !== undefined) out.stdin = secrets ? redact(step.stdin, secrets) : step.stdin;
  out.depends_on = step.dependsOn;
  out.destroys = step.destroys;
  if (step.devices?.length) out.devices = step.devices;
  out.probe = step.probe;
  out.done_when = describeProbe(step.probe);
  return out;
}

/**
 * stepToJson of a host step with no secrets, pipe, stdin or devices (as every
 * `zfs create` of a dataset tree is), made from its parts: the same keys in
 * the same order, without the step itself (DeferredStep.json).
 */
export function plainHostStepJson(
  id: string,
  title: string,
  argv: string[],
  dependsOn: string[],
  destroys: boolean,
  probe: Probe,
): StepJson {
  return {
    id,
    title,
    context: HOST,
    argv,
    command: shJoin(argv),
    depends_on: dependsOn,
    destroys,
    probe,
    done_when: describeProbe(probe),
  };
}

export function planToJson(plan: Plan) {
  return {
    platform: plan.platform,
    steps: plan.steps.map(stepToJson),
    diagnostics: plan.diagnostics,
  };
}

/**
 * Steps turned into JSON text at a time by planJsonChunks: a piece stays well
 * under V8's large-object size (128 KB), so it is made in the young generation's
 * pages, which are reused, not in freshly mapped ones (256 steps of a
 * 10,000-dataset plan were ~170 KB a piece: 2,000 more page faults).
 */
const STEPS_PER_CHUNK = 64;

/**
 * `JSON.stringify({...planToJson(plan), diagnostics})` and a newline, as
 * consecutive pieces of text to write one after the other: a plan of 10,000
 * datasets is 7 MB of JSON. In pieces, each step's JSON object dies young
 * instead of all of them living until one string is made of them, and a
 * non-Latin-1 character in a diagnostic (an ellipsis in a hint) makes only the
 * last piece a two-byte string, where it made the whole 7 MB one 14 MB. The
 * separators are pieces of their own: a piece joined from strings (a cons
 * string) is encoded for writing several times slower than a flat one.
 */
export function* planJsonChunks(
  plan: Plan | DeferredPlan,
  diagnostics: readonly Diagnostic[],
): Generator<string> {
  const steps = plan.steps;
  yield `{"platform":${JSON.stringify(plan.platform)},"steps":[`;
  // one array for every chunk: a slice and a map per chunk measured 17M more
  // instructions (callgrind, 10,000 datasets), with the same page faults
  const chunk = new Array<StepJson>(STEPS_PER_CHUNK);
  for (let i = 0; i < steps.length; i += STEPS_PER_CHUNK) {
    if (i) yield ',';
    const n = Math.min(STEPS_PER_CHUNK, steps.length - i);
    chunk.length = n;
    for (let j = 0; j < n; j++) {
      const s = steps[i + j]!;
      // a deferred step's JSON is made here, written, and dropped with its chunk
      chunk[j] = s instanceof DeferredStep ? s.json() : stepToJson(s);
    }
    yield JSON.stringify(chunk).slice(1, -1);
  }
  yield `],"diagnostics":${JSON.stringify(diagnostics)}}\n`;
}

/** The human rendering of `slipway plan`. */
export function renderPlan(
  plan: Plan,
  p: {
    muted(s: string): string;
    accent(s: string): string;
    error(s: string): string;
    warning(s: string): string;
  },
): string {
  const destroying = plan.steps.filter((s) => s.destroys).length;
  let out = `Plan for ${p.accent(plan.platform)}: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`;
  out += destroying ? `, ${p.error(`${destroying} destroy data`)}\n` : '\n';
  const width = String(plan.steps.length).length;
  plan.steps.forEach((s, i) => {
    const n = String(i + 1).padStart(width);
    const ctx = s.context.kind === 'host' ? '' : ` ${p.muted(`[${contextLabel(s.context)}]`)}`;
    const destroys = s.destroys ? ` ${p.error('DESTROYS DATA')}` : '';
    out += `\n${n}. ${redact(s.title, s.secrets)}${ctx}${destroys}\n`;
    const pad = ' '.repeat(width + 2);
    out += `${pad}$ ${displayCommand(s)}\n`;
    if (s.stdin !== undefined) {
      const lines = redact(s.stdin, s.secrets).split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const shown = lines.slice(0, 12);
      out += shown.map((l) => `${pad}${p.muted('│')} ${l}`).join('\n') + '\n';
      if (lines.length > shown.length)
        out += `${pad}${p.muted(`│ … ${lines.length - shown.length} more lines on stdin`)}\n`;
    }
    out += `${pad}${p.muted(`id ${s.id}; done when ${describeProbe(s.probe)}`)}`;
    if (s.dependsOn.length) out += p.muted(`; after ${s.dependsOn.join(', ')}`);
    out += '\n';
  });
  return out;
}
