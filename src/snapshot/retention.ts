/**
 * Which snapshots a policy prunes. Only snapshots carrying this policy's marker
 * are ever candidates; the newest one of the policy and every protected name
 * (the newest common base of a replication target) are always kept. Pure.
 */

/** One snapshot of a dataset, as listed (oldest first). */
export interface ListedSnapshot {
  /** The part after `@`. */
  name: string;
  /** Value of the policy marker property, when set. */
  policy?: string | undefined;
  /** The time the policy recorded for it (its `io.slipway:time`). */
  time?: Date | undefined;
}

export interface RetentionRule {
  keepLast?: number | undefined;
  maxAgeSeconds?: number | undefined;
}

export interface RetentionDecision {
  name: string;
  action: 'keep' | 'prune';
  reason: string;
}

/**
 * Decide, for every snapshot of `policy` (oldest first in `snapshots`), whether
 * it is kept or pruned. `keep_last` and `max_age` are both limits: a snapshot
 * beyond the newest N, or older than the age, is pruned — unless it is the
 * policy's newest, or `protectedNames` has it (with the reason to report).
 */
export function selectRetention(
  snapshots: readonly ListedSnapshot[],
  policy: string,
  rule: RetentionRule,
  now: Date,
  protectedNames: ReadonlyMap<string, string> = new Map(),
): RetentionDecision[] {
  const mine = snapshots.filter((s) => s.policy === policy);
  const out: RetentionDecision[] = [];
  const n = mine.length;
  mine.forEach((s, i) => {
    const rank = n - i; // 1 = newest
    const guard = protectedNames.get(s.name);
    let prune: string | undefined;
    if (rule.keepLast !== undefined && rank > rule.keepLast)
      prune = `beyond the newest ${rule.keepLast}`;
    else if (rule.maxAgeSeconds !== undefined && s.time) {
      const age = (now.getTime() - s.time.getTime()) / 1000;
      if (age > rule.maxAgeSeconds) prune = `older than ${rule.maxAgeSeconds}s`;
    }
    if (!prune) {
      out.push({
        name: s.name,
        action: 'keep',
        reason:
          rule.maxAgeSeconds !== undefined && !s.time
            ? 'no recorded time, age unknown'
            : 'within retention',
      });
    } else if (rank === 1) {
      out.push({ name: s.name, action: 'keep', reason: `newest of the policy (${prune})` });
    } else if (guard) {
      out.push({ name: s.name, action: 'keep', reason: `${guard} (${prune})` });
    } else {
      out.push({ name: s.name, action: 'prune', reason: prune });
    }
  });
  return out;
}
