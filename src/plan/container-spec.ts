/**
 * The probe data of a container's create step: what `podman|docker create`
 * asks for, in the form apply compares with `inspect` of a container that
 * already exists (see ContainerSpec).
 */
import type { ContainerConfig } from '../schema/index.js';
import { sha256 } from '../platform/files.js';
import { isCreatableNetwork } from '../platform/linux.js';
import type { ContainerSpec } from './types.js';

export function containerSpec(c: ContainerConfig, hostname: string | undefined): ContainerSpec {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.environment)) env[k] = sha256(v);
  const r = c.resources;
  return {
    image: c.image,
    env,
    ports: c.ports.map((p) => ({
      ...(p.host_ip ? { hostIp: p.host_ip } : {}),
      hostPort: p.host_port,
      containerPort: p.container_port,
      protocol: p.protocol,
    })),
    volumes: c.volumes.map((v) =>
      v.mount_type === 'tmpfs'
        ? { type: 'tmpfs' as const, target: v.target }
        : {
            type: v.mount_type,
            source: v.source,
            target: v.target,
            ...(readOnly(v.options) ? { readOnly: true } : {}),
          },
    ),
    ...(r?.memory_limit ? { memory: r.memory_limit } : {}),
    ...(r?.memory_swap_limit ? { memorySwap: r.memory_swap_limit } : {}),
    ...(r?.cpu_limit !== undefined ? { cpus: r.cpu_limit } : {}),
    ...(c.command ? { command: [...c.command] } : {}),
    ...(hostname ? { hostname } : {}),
    // host, none, bridge, container:… are modes, not networks to compare by name
    ...(c.networks.length && c.networks.every(isCreatableNetwork)
      ? { networks: [...c.networks] }
      : {}),
  };
}

/** `-v SRC:DST:OPTS`: the last of `ro`/`rw` wins; read-write when neither is given. */
function readOnly(options: readonly string[]): boolean {
  for (let i = options.length - 1; i >= 0; i--) {
    if (options[i] === 'ro') return true;
    if (options[i] === 'rw') return false;
  }
  return false;
}
