/**
 * The scheduled parts of a config: snapshot policies (a `zfs_snapshots` entry
 * with a `schedule`) and the replications that keep running (a
 * `zfs_replication` entry with a `schedule`, or whose source a policy covers).
 * Pure.
 */
import type { UnifiedConfig } from '../schema/config.js';
import { parseSchedule, type CronSchedule } from './cron.js';
import { parseDuration } from './duration.js';
import { defaultNameFormat } from './names.js';
import type { RetentionRule } from './retention.js';
import { replicationTargets, type ResolvedTarget } from './targets.js';

/** User properties Slipway sets on the snapshots it manages. */
export const POLICY_PROPERTY = 'io.slipway:policy';
export const TIME_PROPERTY = 'io.slipway:time';
/** On a source snapshot: the last one sent to the target with this key (value: time of the run). */
export const sentProperty = (targetKey: string) => `io.slipway:sent-${targetKey}`;

export interface SnapshotPolicy {
  index: number;
  path: string;
  name: string;
  dataset: string;
  recursive: boolean;
  properties: Record<string, string>;
  schedule: CronSchedule;
  format: string;
  retention: RetentionRule;
}

export interface ReplicationJob {
  index: number;
  path: string;
  source: string;
  recursive: boolean;
  exclude: string[];
  overwriteDiverged: boolean;
  schedule?: CronSchedule | undefined;
  targets: ResolvedTarget[];
  /** Names of the policies whose snapshots this replication follows. */
  policies: string[];
}

export interface ScheduledWork {
  policies: SnapshotPolicy[];
  replications: ReplicationJob[];
}

export class PolicyConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyConfigError';
  }
}

/** Whether a policy's snapshots reach `dataset` (the dataset itself, or under it when recursive). */
export function policyCovers(p: Pick<SnapshotPolicy, 'dataset' | 'recursive'>, dataset: string) {
  return p.dataset === dataset || (p.recursive && dataset.startsWith(`${p.dataset}/`));
}

/**
 * Read the scheduled work of a config. Throws PolicyConfigError on what
 * validation reports as an error (a config that validated never throws here).
 */
export function scheduledWork(config: UnifiedConfig): ScheduledWork {
  const policies: SnapshotPolicy[] = [];
  config.storage.zfs_snapshots.forEach((s, index) => {
    if (s.schedule === undefined) return;
    const path = `storage.zfs_snapshots[${index}]`;
    let schedule: CronSchedule;
    try {
      schedule = parseSchedule(s.schedule);
    } catch (e) {
      throw new PolicyConfigError(`${path}.schedule`, (e as Error).message);
    }
    let maxAgeSeconds: number | undefined;
    if (s.retention?.max_age !== undefined) {
      maxAgeSeconds = parseDuration(s.retention.max_age);
      if (maxAgeSeconds === undefined)
        throw new PolicyConfigError(
          `${path}.retention.max_age`,
          `"${s.retention.max_age}" is not a duration`,
        );
    }
    policies.push({
      index,
      path,
      name: s.name,
      dataset: s.dataset,
      recursive: s.recursive,
      properties: s.properties,
      schedule,
      format: s.name_format ?? defaultNameFormat(s.name),
      retention: { keepLast: s.retention?.keep_last, maxAgeSeconds },
    });
  });
  const replications: ReplicationJob[] = [];
  config.storage.zfs_replication.forEach((r, index) => {
    const path = `storage.zfs_replication[${index}]`;
    const followed = policies.filter((p) => policyCovers(p, r.source_dataset)).map((p) => p.name);
    if (r.schedule === undefined && followed.length === 0) return;
    let schedule: CronSchedule | undefined;
    if (r.schedule !== undefined) {
      try {
        schedule = parseSchedule(r.schedule);
      } catch (e) {
        throw new PolicyConfigError(`${path}.schedule`, (e as Error).message);
      }
    }
    const { targets, problems } = replicationTargets(r, path);
    if (problems[0]) throw new PolicyConfigError(problems[0].path, problems[0].message);
    replications.push({
      index,
      path,
      source: r.source_dataset,
      recursive: r.recursive,
      exclude: r.exclude_properties,
      overwriteDiverged: r.overwrite_diverged,
      schedule,
      targets,
      policies: followed,
    });
  });
  return { policies, replications };
}
