/**
 * The wizard: one state, one reducer, typed actions. Routes are screen states
 * (a discriminated union); the disk picker, vdev builder and dataset tree keep
 * their own state, reduced by their own pure reducers. Nothing here performs
 * I/O: intents such as `disks/rescan`, `review/save` and `apply/start` are
 * picked up by the effects layer (src/wizard/effects.ts), which dispatches the
 * outcome back.
 */
import type { Disk } from '../../src/disks/types.js';
import type { Platform } from '../../src/plan/types.js';
import type { UnifiedConfig } from '../../src/schema/config.js';
import type { ReviewCheck } from '../../src/wizard/review.js';
import {
  DatasetEditError,
  addDataset,
  addReplication,
  addSnapshot,
  renameDataset,
  setDatasetProperty,
  setSpace,
} from '../../src/wizard/datasets.js';
import {
  type FieldScope,
  FieldError,
  type Form,
  addContainer,
  containersOf,
  formOf,
  removeContainer,
  setField,
} from '../../src/wizard/fields.js';
import { isNetworkingField } from '../../src/wizard/net-fields.js';
import { type EditedPart, newProblem } from '../../src/wizard/field-check.js';
import { renamePool } from '../../src/wizard/topology.js';
import { poolDevices } from '../../src/disks/guard.js';
import type { ScreenName } from '../keys.js';
import {
  type DiskPickerAction,
  type DiskPickerState,
  diskPickerReducer,
  initialPicker,
} from '../widgets/disk-picker/state.js';
import {
  type VdevBuilderAction,
  type VdevBuilderState,
  initialBuilder,
  seedPool,
  vdevBuilderReducer,
} from '../widgets/vdev-builder/state.js';
import {
  type DatasetTreeAction,
  type DatasetTreeState,
  datasetTreeReducer,
  initialTree,
} from '../widgets/dataset-tree/state.js';
import {
  type ApplyEvent,
  type ApplyRun,
  type RunFailure,
  applyEvent,
  dryRunStep,
  endRun,
  newRun,
} from './apply.js';
import { clamp } from '../widgets/window.js';

export interface WizardEnv {
  platform: Platform;
  /** Dry run (the default), or a real apply (`--apply`, as root). */
  dryRun: boolean;
  demo: boolean;
  /** Where the config is written. */
  outPath: string;
  /** The config the wizard was prefilled from (`--config`). */
  configPath?: string | undefined;
  /** A recorded machine profile the disks come from (`--machine`). */
  machinePath?: string | undefined;
}

export type PromptTarget =
  | { kind: 'pool-name'; pool: number }
  | { kind: 'dataset-add'; parent: string | null; pool: string; zvol: boolean }
  | { kind: 'zvol-size'; parent: string | null; pool: string; leaf: string }
  | { kind: 'dataset-rename'; name: string }
  | { kind: 'dataset-quota'; name: string }
  | { kind: 'dataset-reservation'; name: string }
  | { kind: 'dataset-property'; name: string }
  | { kind: 'snapshot'; dataset: string }
  | { kind: 'replication'; dataset: string }
  | { kind: 'container-add' }
  /** A field of a form; `form` names the list or entry form it is on (none: the first level). */
  | { kind: 'field'; scope: FieldScope; id: string; form?: string | undefined };

export interface Prompt {
  label: string;
  value: string;
  target: PromptTarget;
  help?: string | undefined;
  error?: string | undefined;
}

export type DiskList =
  | { state: 'loading'; list: Disk[] }
  | { state: 'ready'; list: Disk[] }
  | { state: 'failed'; list: Disk[]; message: string; hint?: string | undefined };

export type { ReviewCheck };

export type ReviewTab = 'config' | 'plan' | 'diagnostics';

export type Route =
  | { name: 'welcome' }
  | { name: 'disks' }
  | { name: 'topology' }
  | { name: 'datasets' }
  | { name: 'containers' }
  | { name: 'system' }
  /** `check` is null until the effects layer has validated and planned the config. */
  | { name: 'review'; tab: ReviewTab; scroll: number; check: ReviewCheck | null }
  | { name: 'confirm'; typed: string; error?: string | undefined }
  | { name: 'apply'; run: ApplyRun };

/** A form opened below a screen's first level (a list, or one entry of it), and its cursor. */
export interface FormLevel {
  form: string;
  cursor: number;
}

export interface WizardState {
  env: WizardEnv;
  route: Route;
  config: UnifiedConfig;
  disks: DiskList;
  picker: DiskPickerState;
  builder: VdevBuilderState;
  tree: DatasetTreeState;
  /** The zone/jail/container shown, the first level's cursor, and the forms opened below it. */
  containers: { index: number; cursor: number; open: FormLevel[] };
  system: { cursor: number; open: FormLevel[] };
  prompt: Prompt | null;
  help: boolean;
  saved: { path: string; mode: number } | { error: string } | null;
  quitAsk: boolean;
  /** Set when the wizard is over: the process exit code. */
  exitCode: number | null;
}

export type WizardAction =
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'help' }
  | { type: 'disks/rescan' }
  | { type: 'disks/loaded'; disks: Disk[] }
  | { type: 'disks/failed'; message: string; hint?: string | undefined }
  | { type: 'picker'; action: DiskPickerAction }
  | { type: 'builder'; action: VdevBuilderAction }
  | { type: 'tree'; action: DatasetTreeAction }
  | { type: 'prompt/open'; target: PromptTarget }
  | { type: 'prompt/edit'; value: string }
  | { type: 'prompt/submit' }
  | { type: 'prompt/cancel' }
  | { type: 'form/move'; delta: number }
  | { type: 'form/activate' }
  /** `a` in a list form: the list's "+ add" prompt. */
  | { type: 'form/add' }
  /** `x`/Delete in a list form: remove the entry under the cursor. */
  | { type: 'form/remove' }
  | { type: 'containers/next' }
  | { type: 'containers/remove' }
  /** The check of `config` (ignored when the config has changed since). */
  | { type: 'review/checked'; check: ReviewCheck; config: UnifiedConfig }
  | { type: 'review/scroll'; delta: number }
  | { type: 'review/tab' }
  | { type: 'review/save' }
  | { type: 'review/saved'; path: string; mode: number }
  | { type: 'review/save-failed'; message: string }
  | { type: 'confirm/edit'; value: string }
  | { type: 'apply/start' }
  | { type: 'apply/event'; event: ApplyEvent }
  | { type: 'apply/dry-run-step'; row: Parameters<typeof dryRunStep>[1] }
  | { type: 'apply/ended'; failure?: RunFailure | undefined; journalPath?: string | undefined }
  | { type: 'quit/request' }
  | { type: 'quit/confirm' }
  | { type: 'quit/cancel' }
  | { type: 'finish' };

export const ORDER: ScreenName[] = [
  'welcome',
  'disks',
  'topology',
  'datasets',
  'containers',
  'system',
  'review',
  'confirm',
  'apply',
];

export function initialState(env: WizardEnv, config: UnifiedConfig, disks?: Disk[]): WizardState {
  return {
    env,
    route: { name: 'welcome' },
    config,
    disks: disks ? { state: 'ready', list: disks } : { state: 'loading', list: [] },
    picker: initialPicker,
    builder: initialBuilder,
    tree: initialTree,
    containers: { index: 0, cursor: 0, open: [] },
    system: { cursor: 0, open: [] },
    prompt: null,
    help: false,
    saved: null,
    quitAsk: false,
    exitCode: null,
  };
}

/** What the typed confirmation must be: the names of the pools to be created. */
export function confirmationWord(config: UnifiedConfig): string {
  const names = config.storage.pools.map((p) => p.name);
  return names.length ? names.join(' ') : 'yes';
}

/** Disks a config overwrites, with their detected identity when known. */
export function disksToOverwrite(
  config: UnifiedConfig,
  disks: readonly Disk[],
): { path: string; disk?: Disk | undefined }[] {
  return poolDevices(config).devicePaths.map((path) => ({
    path,
    disk: disks.find((d) => d.path === path || d.by_id.includes(path)),
  }));
}

function go(s: WizardState, name: ScreenName): WizardState {
  switch (name) {
    case 'review':
      return {
        ...s,
        route: {
          name,
          tab: 'config',
          scroll: 0,
          check: null,
        },
        saved: null,
      };
    case 'confirm':
      return { ...s, route: { name, typed: '' } };
    case 'apply':
      return { ...s, route: { name, run: newRun(Date.now(), s.env.outPath) } };
    case 'topology': {
      const config = seedPool(s.config, s.disks.list, s.picker.picked);
      return { ...s, config, route: { name } };
    }
    default:
      return { ...s, route: { name } };
  }
}

const PROMPTS: Record<PromptTarget['kind'], { label: string; help?: string }> = {
  'pool-name': { label: 'pool name', help: 'letters, digits, _ - . : (e.g. tank)' },
  'dataset-add': { label: 'new dataset name', help: 'one name component, e.g. home' },
  'zvol-size': { label: 'volume size', help: 'e.g. 10G' },
  'dataset-rename': { label: 'rename to', help: 'the last name component' },
  'dataset-quota': { label: 'quota', help: 'e.g. 50G, "none", or empty to leave unset' },
  'dataset-reservation': {
    label: 'reservation',
    help: 'e.g. 10G, "none", or empty to leave unset',
  },
  'dataset-property': {
    label: 'property',
    help: 'name=value, e.g. compression=lz4 (name= removes it)',
  },
  snapshot: {
    label: 'snapshot name',
    help: 'e.g. initial, or hourly/daily/weekly/monthly for a policy',
  },
  replication: { label: 'replicate to', help: 'host:pool/dataset' },
  'container-add': { label: 'name' },
  field: { label: 'value' },
};

function openPrompt(s: WizardState, target: PromptTarget): WizardState {
  const base = PROMPTS[target.kind];
  let value = '';
  let label = base.label;
  let help = base.help;
  if (target.kind === 'pool-name') value = s.config.storage.pools[target.pool]?.name ?? '';
  if (target.kind === 'dataset-rename') value = target.name.slice(target.name.lastIndexOf('/') + 1);
  if (target.kind === 'field') {
    const form = formOf(s.config, s.env.platform, target.scope, target.form);
    const f = form?.fields.find((x) => x.id === target.id);
    label = f?.ask ?? f?.label.trim() ?? target.id;
    help = f?.help;
    value = f?.text ?? (f && !f.adds && !f.secret && !f.id.endsWith('ssh_key') ? f.value : '');
  }
  return { ...s, prompt: { label, value, target, help } };
}

/** Apply the prompt's text. Throws the edit's typed error for a value that does not fit. */
function submitPrompt(s: WizardState, p: Prompt): WizardState {
  const t = p.target;
  const v = p.value;
  const done = (config: UnifiedConfig, extra: Partial<WizardState> = {}): WizardState => ({
    ...s,
    ...extra,
    config,
    prompt: null,
  });
  switch (t.kind) {
    case 'pool-name': {
      const name = v.trim();
      if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(name))
        throw new FieldError('a pool name starts with a letter: letters, digits, _ - . :');
      if (s.config.storage.pools.some((q, i) => q.name === name && i !== t.pool))
        throw new FieldError(`pool ${name} exists already`);
      return done(renamePool(s.config, t.pool, name));
    }
    case 'dataset-add': {
      if (t.zvol)
        return {
          ...s,
          prompt: {
            ...PROMPTS['zvol-size'],
            value: '',
            target: { kind: 'zvol-size', parent: t.parent, pool: t.pool, leaf: v.trim() },
          },
        };
      const r = addDataset(s.config, t.parent, t.pool, v.trim());
      const tree = datasetTreeReducer(
        { tree: s.tree, config: r.config },
        { type: 'focus', name: r.name },
      );
      return done(r.config, { tree: tree.tree });
    }
    case 'zvol-size': {
      const r = addDataset(s.config, t.parent, t.pool, t.leaf, v.trim());
      const tree = datasetTreeReducer(
        { tree: s.tree, config: r.config },
        { type: 'focus', name: r.name },
      );
      return done(r.config, { tree: tree.tree });
    }
    case 'dataset-rename': {
      const r = renameDataset(s.config, t.name, v.trim());
      const tree = datasetTreeReducer(
        { tree: s.tree, config: r.config },
        { type: 'focus', name: r.name },
      );
      return done(r.config, { tree: tree.tree });
    }
    case 'dataset-quota':
      return done(setSpace(s.config, t.name, 'quota', v));
    case 'dataset-reservation':
      return done(setSpace(s.config, t.name, 'reservation', v));
    case 'dataset-property':
      return done(setDatasetProperty(s.config, t.name, v));
    case 'snapshot':
      return done(addSnapshot(s.config, t.dataset, v));
    case 'replication':
      return done(addReplication(s.config, t.dataset, v));
    case 'container-add': {
      const config = addContainer(s.config, s.env.platform, v);
      const index = containersOf(config, s.env.platform).length - 1;
      refuseNewError(s, config, { kind: 'container', index });
      return done(config, { containers: { index, cursor: 0, open: [] } });
    }
    case 'field': {
      const config = setField(s.config, s.env.platform, t.scope, t.id, v);
      const part: EditedPart | null =
        t.scope.kind === 'container'
          ? t.id.startsWith('sys:')
            ? null
            : { kind: 'container', index: t.scope.index }
          : isNetworkingField(t.id)
            ? { kind: 'networking' }
            : null;
      if (part) refuseNewError(s, config, part);
      const view = formView(s);
      const next = done(config);
      // An entry added to a list: the cursor goes to it (where "+ add" was).
      if (view.form.add === t.id && view.formId === t.form)
        return setFormCursor(
          next,
          view.form.fields.findIndex((f) => f.id === t.id),
          view.depth,
        );
      return next;
    }
  }
}

/**
 * Typed values are checked by the validator's own rules (as Review reports
 * them): an edit that brings a new error into its section (networking, or the
 * zones/jails/containers) is refused with the validator's message and hint.
 */
function refuseNewError(s: WizardState, config: UnifiedConfig, part: EditedPart): void {
  const problem = newProblem(s.config, config, s.env.platform, part);
  if (problem) throw new FieldError(problem);
}

/** What the Containers or System screen shows: the innermost opened form that still exists. */
export interface FormView {
  scope: FieldScope;
  form: Form;
  /** The opened form's id; undefined on the first level. */
  formId: string | undefined;
  cursor: number;
  /** 0 on the first level, 1 in a list, 2 in an entry of a list. */
  depth: number;
  /** Titles from the first level down, for the breadcrumb. */
  trail: string[];
}

export function formView(s: WizardState): FormView {
  const system = s.route.name === 'system';
  const scope: FieldScope = system
    ? { kind: 'system' }
    : { kind: 'container', index: s.containers.index };
  const top = formOf(s.config, s.env.platform, scope) ?? { title: '', fields: [] };
  let view: FormView = {
    scope,
    form: top,
    formId: undefined,
    cursor: system ? s.system.cursor : s.containers.cursor,
    depth: 0,
    trail: [top.title],
  };
  const open = system ? s.system.open : s.containers.open;
  for (const level of open) {
    const form = formOf(s.config, s.env.platform, scope, level.form);
    if (!form) break;
    view = {
      scope,
      form,
      formId: level.form,
      cursor: level.cursor,
      depth: view.depth + 1,
      trail: [...view.trail, form.title],
    };
  }
  return view;
}

function setLevels(s: WizardState, cursor: number, open: FormLevel[]): WizardState {
  return s.route.name === 'system'
    ? { ...s, system: { cursor, open } }
    : { ...s, containers: { ...s.containers, cursor, open } };
}

/** Put the cursor of the form at `depth`; levels below it (or gone) are closed. */
function setFormCursor(s: WizardState, cursor: number, depth = formView(s).depth): WizardState {
  const { cursor: top, open } = s.route.name === 'system' ? s.system : s.containers;
  if (depth === 0) return setLevels(s, cursor, []);
  const kept = open.slice(0, depth);
  kept[depth - 1] = { ...kept[depth - 1]!, cursor };
  return setLevels(s, top, kept);
}

/** After an edit: the cursor stays on the form, within its (maybe shorter) rows. */
function clampFormCursor(s: WizardState): WizardState {
  const v = formView(s);
  return setFormCursor(s, clamp(v.cursor, 0, Math.max(0, v.form.fields.length - 1)), v.depth);
}

function openForm(s: WizardState, form: string): WizardState {
  const v = formView(s);
  const { cursor: top, open } = s.route.name === 'system' ? s.system : s.containers;
  return setLevels(s, top, [...open.slice(0, v.depth), { form, cursor: 0 }]);
}

function closeForm(s: WizardState): WizardState {
  const v = formView(s);
  const { cursor: top, open } = s.route.name === 'system' ? s.system : s.containers;
  return setLevels(s, top, open.slice(0, v.depth - 1));
}

function isFormRoute(s: WizardState): boolean {
  return s.route.name === 'system' || s.route.name === 'containers';
}

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  switch (a.type) {
    case 'next': {
      const r = s.route;
      if (r.name === 'review' && (r.check === null || r.check.errors > 0)) return s;
      if (r.name === 'confirm') {
        const want = confirmationWord(s.config);
        if (!s.env.dryRun && r.typed.trim() !== want)
          return { ...s, route: { ...r, error: `type "${want}" exactly to go on` } };
        return s;
      }
      if (r.name === 'apply') return s;
      const at = ORDER.indexOf(r.name);
      return go({ ...s, help: false }, ORDER[at + 1]!);
    }
    case 'back': {
      if (s.help) return { ...s, help: false };
      if (isFormRoute(s) && formView(s).depth > 0) return closeForm(s);
      const r = s.route;
      if (r.name === 'apply' || r.name === 'welcome') return s;
      const at = ORDER.indexOf(r.name);
      return go(s, ORDER[at - 1]!);
    }
    case 'help':
      return { ...s, help: !s.help };
    case 'disks/rescan':
      return { ...s, disks: { state: 'loading', list: s.disks.list } };
    case 'disks/loaded':
      return {
        ...s,
        disks: { state: 'ready', list: a.disks },
        picker: diskPickerReducer(s.picker, { type: 'sync', disks: a.disks }, a.disks),
      };
    case 'disks/failed':
      return {
        ...s,
        disks: { state: 'failed', list: s.disks.list, message: a.message, hint: a.hint },
      };
    case 'picker':
      return { ...s, picker: diskPickerReducer(s.picker, a.action, s.disks.list) };
    case 'builder': {
      const r = vdevBuilderReducer(
        { builder: s.builder, config: s.config },
        a.action,
        s.disks.list,
        s.picker.picked,
      );
      return { ...s, builder: r.builder, config: r.config };
    }
    case 'tree': {
      const r = datasetTreeReducer({ tree: s.tree, config: s.config }, a.action);
      return { ...s, tree: r.tree, config: r.config };
    }
    case 'prompt/open':
      return openPrompt(s, a.target);
    case 'prompt/edit':
      return s.prompt ? { ...s, prompt: { ...s.prompt, value: a.value, error: undefined } } : s;
    case 'prompt/cancel':
      return { ...s, prompt: null };
    case 'prompt/submit': {
      if (!s.prompt) return s;
      try {
        return submitPrompt(s, s.prompt);
      } catch (err) {
        if (err instanceof FieldError || err instanceof DatasetEditError)
          return { ...s, prompt: { ...s.prompt, error: err.message } };
        throw err;
      }
    }
    case 'form/move': {
      if (!isFormRoute(s)) return s;
      const v = formView(s);
      return setFormCursor(
        s,
        clamp(v.cursor + a.delta, 0, Math.max(0, v.form.fields.length - 1)),
        v.depth,
      );
    }
    case 'form/activate': {
      if (!isFormRoute(s)) return s;
      const v = formView(s);
      const f = v.form.fields[clamp(v.cursor, 0, v.form.fields.length - 1)];
      if (!f) return s;
      if (f.opens) return openForm(s, f.opens);
      if (f.toggles)
        return clampFormCursor({
          ...s,
          config: setField(s.config, s.env.platform, v.scope, f.id, ''),
        });
      return openPrompt(s, { kind: 'field', scope: v.scope, id: f.id, form: v.formId });
    }
    case 'form/add': {
      if (!isFormRoute(s)) return s;
      const v = formView(s);
      return v.form.add
        ? openPrompt(s, { kind: 'field', scope: v.scope, id: v.form.add, form: v.formId })
        : s;
    }
    case 'form/remove': {
      if (!isFormRoute(s)) return s;
      const v = formView(s);
      const f = v.form.fields[clamp(v.cursor, 0, v.form.fields.length - 1)];
      if (!f?.removes) return s;
      const after = clampFormCursor({
        ...s,
        config: setField(s.config, s.env.platform, v.scope, f.removes, ''),
      });
      // The last entry removed: the cursor goes to the one before, not to "+ add".
      const w = formView(after);
      return w.form.fields[w.cursor]?.id === w.form.add && w.cursor > 0
        ? setFormCursor(after, w.cursor - 1, w.depth)
        : after;
    }
    case 'containers/next': {
      const n = containersOf(s.config, s.env.platform).length;
      return n
        ? { ...s, containers: { index: (s.containers.index + 1) % n, cursor: 0, open: [] } }
        : s;
    }
    case 'containers/remove': {
      const config = removeContainer(s.config, s.env.platform, s.containers.index);
      const n = containersOf(config, s.env.platform).length;
      return {
        ...s,
        config,
        containers: {
          index: clamp(s.containers.index, 0, Math.max(0, n - 1)),
          cursor: 0,
          open: [],
        },
      };
    }
    case 'review/checked':
      return s.route.name === 'review' && a.config === s.config
        ? { ...s, route: { ...s.route, check: a.check } }
        : s;
    case 'review/scroll': {
      const r = s.route;
      if (r.name !== 'review' || !r.check) return s;
      const lines =
        r.tab === 'config'
          ? r.check.text.split('\n').length
          : r.tab === 'plan'
            ? r.check.planLines.length
            : r.check.diagnostics.length;
      return {
        ...s,
        route: { ...r, scroll: clamp(r.scroll + a.delta, 0, Math.max(0, lines - 1)) },
      };
    }
    case 'review/tab': {
      const r = s.route;
      if (r.name !== 'review') return s;
      const tabs: ReviewTab[] = ['config', 'plan', 'diagnostics'];
      return {
        ...s,
        route: { ...r, tab: tabs[(tabs.indexOf(r.tab) + 1) % tabs.length]!, scroll: 0 },
      };
    }
    case 'review/save':
      return s;
    case 'review/saved':
      return { ...s, saved: { path: a.path, mode: a.mode } };
    case 'review/save-failed':
      return { ...s, saved: { error: a.message } };
    case 'confirm/edit':
      return s.route.name === 'confirm' ? { ...s, route: { name: 'confirm', typed: a.value } } : s;
    case 'apply/start': {
      const r = s.route;
      if (r.name !== 'confirm') return s;
      if (!s.env.dryRun && r.typed.trim() !== confirmationWord(s.config))
        return {
          ...s,
          route: { ...r, error: `type "${confirmationWord(s.config)}" exactly to go on` },
        };
      return go(s, 'apply');
    }
    case 'apply/event':
      return s.route.name === 'apply'
        ? { ...s, route: { name: 'apply', run: applyEvent(s.route.run, a.event) } }
        : s;
    case 'apply/dry-run-step':
      return s.route.name === 'apply'
        ? { ...s, route: { name: 'apply', run: dryRunStep(s.route.run, a.row) } }
        : s;
    case 'apply/ended': {
      if (s.route.name !== 'apply') return s;
      const run = endRun(s.route.run, a.failure);
      return {
        ...s,
        route: { name: 'apply', run: a.journalPath ? { ...run, journalPath: a.journalPath } : run },
      };
    }
    case 'quit/request':
      if (s.route.name === 'apply' && s.route.run.status === 'running')
        return { ...s, quitAsk: true };
      return { ...s, exitCode: 130 };
    case 'quit/confirm':
      return { ...s, quitAsk: false, exitCode: 130 };
    case 'quit/cancel':
      return { ...s, quitAsk: false };
    case 'finish': {
      const r = s.route;
      if (r.name !== 'apply' || r.run.status === 'running') return s;
      return { ...s, exitCode: r.run.status === 'done' ? 0 : 1 };
    }
  }
}
