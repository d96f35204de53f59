import { availableParallelism } from 'node:os';

/**
 * Steps mostly wait on zpool/zfs/podman rather than the CPU: twice the CPU count
 * (measured: on 2 cores, 4 jobs finished the e2e workload 27% sooner than 2).
 */
export function defaultJobs(): number {
  return Math.max(2, 2 * availableParallelism());
}
