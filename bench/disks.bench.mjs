// Classifying a generated 1,000-disk lsblk listing (each disk with two partitions,
// by-id links, mounts, swap, and a 100-device zpool), as a ratio against
// JSON.parse of the same text measured in the same run. Target: under 10 ms.
// The parser is bundled from src/disks/parse-linux.ts with esbuild into a temp dir.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median, report } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Kernel-style names: sda … sdz, sdaa … */
function sdName(i) {
  let s = '';
  let n = i + 1;
  while (n > 0) {
    n--;
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return `sd${s}`;
}

export function generateMachine(count = 1000) {
  const blockdevices = [];
  const byId = {};
  const zpoolLines = [];
  const swaps = ['Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority'];
  for (let i = 0; i < count; i++) {
    const name = sdName(i);
    const wwn = `0x5000c500${i.toString(16).padStart(8, '0')}`;
    const serial = `ZA${String(i).padStart(6, '0')}`;
    const part = (n, extra) => ({
      name: `${name}${n}`,
      path: `/dev/${name}${n}`,
      size: 1_000_000_000,
      type: 'part',
      model: null,
      serial: null,
      rota: true,
      rm: false,
      tran: null,
      wwn,
      mountpoints: [null],
      fstype: null,
      pkname: name,
      vendor: null,
      hotplug: false,
      ...extra,
    });
    blockdevices.push({
      name,
      path: `/dev/${name}`,
      size: 4_000_787_030_016,
      type: 'disk',
      model: i % 3 ? 'ST4000NM0035-1V4107' : 'WDC WD40EFRX-68N32N0',
      serial,
      rota: true,
      rm: false,
      tran: i % 5 ? 'sas' : 'sata',
      wwn,
      mountpoints: [null],
      fstype: null,
      pkname: null,
      vendor: 'ATA     ',
      hotplug: false,
      children: [
        part(1, i % 10 === 0 ? { mountpoints: [`/srv/d${i}`], fstype: 'ext4' } : {}),
        part(2, i % 50 === 1 ? { mountpoints: ['[SWAP]'], fstype: 'swap' } : {}),
      ],
    });
    byId[`wwn-${wwn}`] = name;
    byId[`scsi-SATA_ST4000NM0035-1V4_${serial}`] = name;
    byId[`wwn-${wwn}-part1`] = `${name}1`;
    if (i % 50 === 1)
      swaps.push(`/dev/${name}2                               partition\t1000000\t0\t-2`);
    if (i % 10 === 5)
      zpoolLines.push(`\t    /dev/disk/by-id/wwn-${wwn}-part1  ONLINE       0     0     0`);
  }
  const status = [
    '  pool: big',
    ' state: ONLINE',
    'config:',
    '',
    '\tNAME        STATE     READ WRITE CKSUM',
    '\tbig         ONLINE       0     0     0',
    '\t  raidz2-0  ONLINE       0     0     0',
    ...zpoolLines,
    '',
    'errors: No known data errors',
  ].join('\n');
  return {
    lsblk: JSON.stringify({ blockdevices }, null, 3),
    byId,
    swaps: swaps.join('\n') + '\n',
    zpool: { status, import: '' },
  };
}

export default async function () {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-disks-'));
  const outfile = join(dir, 'parse-linux.mjs');
  await build({
    entryPoints: [join(root, 'src/disks/parse-linux.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const { linuxDisks } = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  const data = generateMachine(1000);
  const disks = linuxDisks(data);
  const inUse = disks.filter((d) => d.in_use.length).length;
  if (disks.length !== 1000 || inUse === 0)
    throw new Error(
      `disks bench: expected 1000 disks with some in use, got ${disks.length}/${inUse}`,
    );
  // Interleaved, so that a busy machine slows both sides alike.
  const a = [];
  const b = [];
  for (let i = 0; i < 45; i++) {
    let t0 = performance.now();
    linuxDisks(data);
    if (i >= 5) a.push(performance.now() - t0);
    t0 = performance.now();
    JSON.parse(data.lsblk);
    if (i >= 5) b.push(performance.now() - t0);
  }
  const parse = median(a);
  const baseline = median(b);
  report('classify 1,000-disk lsblk listing', parse, 'ms', 'JSON.parse of the same text', baseline);
  process.stdout.write(
    `  ${disks.length} disks (${inUse} in use), ${(data.lsblk.length / 1024).toFixed(0)} KiB of lsblk JSON; target < 10 ms: ${parse < 10 ? 'met' : 'NOT met'}\n`,
  );
}
