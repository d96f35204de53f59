import { contextLabel, displayCommand, hostArgv, redact, shJoin } from './shell.js';
import type { Plan, Probe, Step } from './types.js';

/** How apply will tell that a step is already done, in words. */
export function describeProbe(p: Probe): string {
  switch (p.kind) {
    case 'pool-exists':
      return `pool ${p.pool} exists${p.layout ? ' with these vdevs' : ''}${withProps(p.properties, ' (its root dataset with ', ')')}`;
    case 'dataset-exists':
      return `dataset ${p.dataset} exists${withProps(p.properties, ' with ', '')}`;
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
      return `${p.description} (recorded in the journal)`;
    case 'always':
      return `runs every time: ${p.description}`;
  }
}

function withProps(props: Record<string, string> | undefined, before: string, after: string) {
  const list = Object.entries(props ?? {});
  return list.length ? `${before}${list.map(([k, v]) => `${k}=${v}`).join(', ')}${after}` : '';
}

/** A step as plain JSON for `plan --json` and the journal: secrets redacted. */
export function stepToJson(step: Step) {
  return {
    id: step.id,
    title: redact(step.title, step.secrets),
    context: step.context,
    argv: hostArgv(step).map((a) => redact(a, step.secrets)),
    ...(step.pipeTo ? { pipe_to: step.pipeTo.map((a) => redact(a, step.secrets)) } : {}),
    command: displayCommand(step),
    ...(step.stdin !== undefined ? { stdin: redact(step.stdin, step.secrets) } : {}),
    depends_on: step.dependsOn,
    destroys: step.destroys,
    ...(step.devices?.length ? { devices: step.devices } : {}),
    probe: step.probe,
    done_when: describeProbe(step.probe),
  };
}

export function planToJson(plan: Plan) {
  return {
    platform: plan.platform,
    steps: plan.steps.map(stepToJson),
    diagnostics: plan.diagnostics,
  };
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
