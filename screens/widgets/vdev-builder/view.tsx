import { Box, Text } from 'ink';
import type { Disk } from '../../../src/disks/types.js';
import type { DeviceRef, UnifiedConfig } from '../../../src/schema/config.js';
import { formatSize } from '../../../src/schema/size.js';
import { devicePathOf, findDiskByPath, describeSelector } from '../../../src/disks/select.js';
import { poolCapacity, vdevCapacity } from '../../../src/validate/capacity.js';
import { propertyHelp } from '../../../src/platform/zfs-properties.js';
import {
  ROLE_LABEL,
  placeOfDisk,
  poolPropertyValue,
  redundancyWarnings,
  sameRef,
  vdevTypeAt,
  devicesAt,
  type VdevRef,
} from '../../../src/wizard/topology.js';
import { useTheme } from '../../context.js';
import { clamp, windowRange } from '../window.js';
import {
  type BuilderRow,
  type VdevBuilderState,
  PROPS,
  builderRows,
  candidateDisks,
} from './state.js';

function deviceLabel(ref: DeviceRef, disks: readonly Disk[]): string {
  const path = devicePathOf(ref);
  if (path === undefined) return typeof ref === 'object' ? describeSelector(ref) : String(ref);
  return findDiskByPath(path, disks)?.name ?? path.replace(/^\/dev\//, '');
}

function placeLabel(ref: VdevRef): string {
  return ref.role === 'spare' || ref.role === 'devices'
    ? ROLE_LABEL[ref.role]
    : `${ROLE_LABEL[ref.role]} ${ref.index + 1}`;
}

function rowText(row: BuilderRow, config: UnifiedConfig, disks: readonly Disk[]): string {
  const pool = config.storage.pools[row.kind === 'vdev' ? row.ref.pool : 0];
  switch (row.kind) {
    case 'name':
      return `pool name     ${pool?.name ?? ''}`;
    case 'vdev': {
      const devs = devicesAt(config, row.ref);
      const type =
        row.ref.role === 'spare' || row.ref.role === 'devices' ? '' : vdevTypeAt(config, row.ref);
      const names = devs.length
        ? devs.map((d) => deviceLabel(d, disks)).join(' ')
        : '(no disks: Enter to add)';
      // Data and special vdevs: what this vdev gives and survives on its own.
      let cap = '';
      if (devs.length && (row.ref.role === 'data' || row.ref.role === 'special')) {
        const v = vdevCapacity({ vdev_type: vdevTypeAt(config, row.ref), devices: devs }, disks);
        if (v.usableBytes !== undefined)
          cap = `  (${formatSize(v.usableBytes)}, survives ${v.failuresSurvived})`;
      }
      return `${placeLabel(row.ref).padEnd(13)} ${type.padEnd(7)} ${names}${cap}`;
    }
    case 'add':
      return `+ add ${row.role === 'spare' ? 'spares' : row.role === 'data' ? 'data vdev' : row.role === 'log' ? 'log (SLOG)' : row.role}`;
    case 'prop':
      return '';
    case 'remove-pool':
      return '  remove this pool';
  }
}

export function VdevBuilderView({
  config,
  state,
  disks,
  picked,
  height,
}: {
  config: UnifiedConfig;
  state: VdevBuilderState;
  disks: readonly Disk[];
  picked: readonly string[];
  height: number;
}) {
  const theme = useTheme();
  const pools = config.storage.pools;
  const pool = pools[state.pool];
  if (!pool)
    return (
      <Box flexDirection="column">
        <Text>No pool yet. Press Enter to start one (pick disks first on the Disks screen).</Text>
      </Box>
    );
  const rows = builderRows(config, state.pool);
  const cursor = clamp(state.cursor, 0, rows.length - 1);
  const cap = poolCapacity(pool, disks);
  const warnings = [...cap.warnings.map((w) => w.message), ...redundancyWarnings(pool)];
  const row = rows[cursor];
  const prop = row?.kind === 'prop' ? PROPS.find((p) => p.name === row.prop) : undefined;
  const assign = state.assign;
  const candidates = assign ? candidateDisks(config, state.pool, disks, picked) : [];
  const listHeight = Math.max(
    3,
    height - 4 - Math.min(3, warnings.length) - (assign ? Math.min(candidates.length, 8) + 1 : 0),
  );
  const { start, end } = windowRange(cursor, rows.length, listHeight);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {pools.map((p, i) => (
          <Text
            key={i}
            bold={i === state.pool}
            color={i === state.pool ? theme.accent : theme.muted}
          >
            {i === state.pool ? `[${p.name || '?'}]` : ` ${p.name || '?'} `}{' '}
          </Text>
        ))}
      </Text>
      {rows.slice(start, end).map((r, i) => {
        const at = start + i;
        const cur = at === cursor;
        let text = rowText(r, config, disks);
        if (r.kind === 'prop') {
          const spec = PROPS.find((p) => p.name === r.prop)!;
          const v = poolPropertyValue(pool, spec.kind, spec.name);
          text = `${spec.name.padEnd(13)} ${v ?? '(default)'}`;
        }
        const active = assign && r.kind === 'vdev' && sameRef(r.ref, assign.ref);
        return (
          <Text
            key={at}
            wrap="truncate-end"
            bold={cur}
            color={
              cur
                ? theme.selected
                : r.kind === 'add' || r.kind === 'remove-pool'
                  ? theme.muted
                  : undefined
            }
          >
            {cur ? '›' : ' '} {text}
            {active ? '  ◀ assigning' : ''}
          </Text>
        );
      })}
      {assign ? (
        <Box flexDirection="column" marginLeft={4}>
          <Text color={theme.accent}>
            Space puts a disk in or out of {placeLabel(assign.ref)}; Enter or Esc when done
          </Text>
          {candidates.length === 0 ? (
            <Text color={theme.warning}>
              no picked disks: pick some on the Disks screen (Esc, Esc)
            </Text>
          ) : null}
          {candidates
            .slice(
              windowRange(assign.cursor, candidates.length, 8).start,
              windowRange(assign.cursor, candidates.length, 8).end,
            )
            .map((d) => {
              const at = candidates.indexOf(d);
              const place = placeOfDisk(config, d);
              const here = place && sameRef(place, assign.ref);
              const mark = here ? '[x]' : place ? '[-]' : '[ ]';
              return (
                <Text
                  key={d.path}
                  wrap="truncate-end"
                  bold={at === assign.cursor}
                  color={
                    at === assign.cursor ? theme.selected : place && !here ? theme.muted : undefined
                  }
                >
                  {at === assign.cursor ? '›' : ' '}
                  {mark} {d.name.padEnd(10)} {formatSize(d.size_bytes).padEnd(6)} {d.serial ?? ''}
                  {place && !here ? `  (in ${placeLabel(place)})` : ''}
                </Text>
              );
            })}
        </Box>
      ) : null}
      <Text wrap="truncate-end">
        <Text color={theme.muted}>raw </Text>
        {cap.rawBytes !== undefined ? formatSize(cap.rawBytes) : '?'}
        <Text color={theme.muted}> · usable ≈ </Text>
        <Text bold>{cap.usableBytes !== undefined ? formatSize(cap.usableBytes) : '?'}</Text>
        <Text color={theme.muted}> · survives </Text>
        <Text bold color={cap.failuresSurvived === 0 ? theme.warning : theme.ok}>
          {cap.failuresSurvived} disk failure{cap.failuresSurvived === 1 ? '' : 's'}
        </Text>
      </Text>
      {warnings.slice(0, 3).map((w, i) => (
        <Text key={i} color={theme.warning} wrap="truncate-end">
          ! {w}
        </Text>
      ))}
      {prop ? (
        <Text color={theme.muted} wrap="truncate-end">
          {prop.name}: {propertyHelp(prop.kind === 'pool' ? 'pool' : 'dataset', prop.name) ?? ''}{' '}
          (Space/←→ change)
        </Text>
      ) : null}
    </Box>
  );
}
