/**
 * Replication destinations: `target` ("[user@]host:pool/dataset", or
 * "pool/dataset" with `ssh_config`) and the `targets` list, resolved to one
 * record per destination. Pure.
 */
import type { ReplicationConfig, ReplicationTarget, SshConfig } from '../schema/config.js';
import { sha256 } from '../platform/files.js';

export interface ResolvedTarget {
  host: string;
  user?: string | undefined;
  port?: number | undefined;
  keyPath?: string | undefined;
  /** The dataset on the target that receives the source dataset. */
  dataset: string;
  /** `user@host:port:dataset`, for reports. */
  label: string;
  /** Short stable id of the destination, used in the source's user property of what was sent. */
  key: string;
  /** JSON path of the entry that named it. */
  path: string;
}

export interface TargetProblem {
  path: string;
  message: string;
  hint?: string;
}

const REMOTE = /^(?:([^@/:\s]+)@)?(\[[^\]]+\]|[^:/@\s]+):(.+)$/;

function resolveOne(
  target: string,
  ssh: SshConfig | undefined,
  path: string,
): ResolvedTarget | TargetProblem {
  const m = REMOTE.exec(target);
  let host = ssh?.host;
  let user = ssh?.user;
  let dataset = target;
  if (m) {
    // with ssh_config, its host is where to connect: "backup-server:" may be a short name of it
    host = ssh?.host ?? m[2]!.replace(/^\[(.*)\]$/, '$1');
    if (m[1] && !ssh) user = m[1];
    dataset = m[3]!;
  }
  if (!host)
    return {
      path,
      message: `target "${target}" names no host`,
      hint: 'write "host:pool/dataset", or add ssh_config with user and host',
    };
  if (!dataset || dataset.startsWith('/') || dataset.endsWith('/') || dataset.includes('@'))
    return {
      path,
      message: `target "${target}": "${dataset}" is not a dataset name`,
      hint: 'the part after "host:" is the receiving dataset, e.g. "backup/tank-data"',
    };
  const port = ssh?.port;
  const label = `${user ? `${user}@` : ''}${host}${port ? `:${port}` : ''}:${dataset}`;
  return {
    host,
    user,
    port,
    keyPath: ssh?.key_path,
    dataset,
    label,
    key: sha256(label).slice(0, 10),
    path,
  };
}

/** Every destination of a replication entry (`target` first, then `targets`). */
export function replicationTargets(
  r: ReplicationConfig,
  path: string,
): { targets: ResolvedTarget[]; problems: TargetProblem[] } {
  const targets: ResolvedTarget[] = [];
  const problems: TargetProblem[] = [];
  const add = (x: ResolvedTarget | TargetProblem) =>
    'host' in x ? targets.push(x) : problems.push(x);
  if (r.target !== undefined) add(resolveOne(r.target, r.ssh_config, `${path}.target`));
  r.targets.forEach((t: ReplicationTarget, i) =>
    add(resolveOne(t.target, t.ssh_config ?? r.ssh_config, `${path}.targets[${i}].target`)),
  );
  if (r.target === undefined && r.targets.length === 0)
    problems.push({
      path,
      message: 'a replication needs a destination',
      hint: 'add "target" ("host:pool/dataset") or a "targets" list',
    });
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.label))
      problems.push({ path: t.path, message: `target ${t.label} is listed twice` });
    seen.add(t.label);
  }
  return { targets, problems };
}
