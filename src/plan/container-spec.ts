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
  // Filled key by key in the order the JSON shows them, optional keys only when
  // present: no spreads of temporary objects (a slow generic copy each, ten
  // per container).
  const env: Record<string, string> = {};
  for (const k in c.environment) env[k] = sha256(c.environment[k]!);
  const ports: ContainerSpec['ports'] = [];
  for (let i = 0; i < c.ports.length; i++) {
    const p = c.ports[i]!;
    ports.push(
      p.host_ip
        ? {
            hostIp: p.host_ip,
            hostPort: p.host_port,
            containerPort: p.container_port,
            protocol: p.protocol,
          }
        : { hostPort: p.host_port, containerPort: p.container_port, protocol: p.protocol },
    );
  }
  const volumes: ContainerSpec['volumes'] = [];
  for (let i = 0; i < c.volumes.length; i++) {
    const v = c.volumes[i]!;
    if (v.mount_type === 'tmpfs') volumes.push({ type: 'tmpfs', target: v.target });
    else if (readOnly(v.options))
      volumes.push({ type: v.mount_type, source: v.source, target: v.target, readOnly: true });
    else volumes.push({ type: v.mount_type, source: v.source, target: v.target });
  }
  const spec: ContainerSpec = { image: c.image, env, ports, volumes };
  const r = c.resources;
  if (r?.memory_limit) spec.memory = r.memory_limit;
  if (r?.memory_swap_limit) spec.memorySwap = r.memory_swap_limit;
  if (r?.cpu_limit !== undefined) spec.cpus = r.cpu_limit;
  if (c.command) spec.command = [...c.command];
  if (hostname) spec.hostname = hostname;
  // host, none, bridge, container:… are modes, not networks to compare by name
  if (c.networks.length && c.networks.every(isCreatableNetwork)) spec.networks = [...c.networks];
  return spec;
}

/** `-v SRC:DST:OPTS`: the last of `ro`/`rw` wins; read-write when neither is given. */
function readOnly(options: readonly string[]): boolean {
  for (let i = options.length - 1; i >= 0; i--) {
    if (options[i] === 'ro') return true;
    if (options[i] === 'rw') return false;
  }
  return false;
}
