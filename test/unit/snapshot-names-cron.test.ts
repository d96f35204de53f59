import { describe, expect, it } from 'vitest';
import {
  breakDown,
  defaultNameFormat,
  formatSnapshotName,
  NameFormatError,
  snapshotNameProblem,
} from '../../src/snapshot/names.js';
import {
  CronError,
  matches,
  nextFire,
  parseSchedule,
  previousFire,
  toCronFields,
  toOnCalendar,
} from '../../src/snapshot/cron.js';
import { parseDuration } from '../../src/snapshot/duration.js';

const utc = (iso: string) => breakDown(new Date(iso), true);

describe('name_format', () => {
  it('expands every supported conversion', () => {
    const t = utc('2026-03-07T04:05:09Z'); // a Saturday, day 66
    expect(formatSnapshotName('%Y%m%d-%H%M%S', t)).toBe('20260307-040509');
    expect(formatSnapshotName('%j %a %b %y', t)).toBe('066 Sat Mar 26');
    expect(formatSnapshotName('%s', t)).toBe(String(Date.parse('2026-03-07T04:05:09Z') / 1000));
    expect(formatSnapshotName('100%%-%Y', t)).toBe('100%-2026');
  });

  it('counts the day of the year across a leap February', () => {
    expect(formatSnapshotName('%j', utc('2028-12-31T00:00:00Z'))).toBe('366');
    expect(formatSnapshotName('%j', utc('2027-12-31T00:00:00Z'))).toBe('365');
  });

  it('rejects unknown conversions and a trailing %', () => {
    expect(() => formatSnapshotName('auto-%Q', utc('2026-01-01T00:00:00Z'))).toThrow(
      NameFormatError,
    );
    expect(() => formatSnapshotName('auto-%', utc('2026-01-01T00:00:00Z'))).toThrow(/lone/);
  });

  it('defaults to <policy>-%Y%m%d-%H%M, escaping a % in the policy name', () => {
    expect(defaultNameFormat('hourly')).toBe('hourly-%Y%m%d-%H%M');
    expect(formatSnapshotName(defaultNameFormat('50%'), utc('2026-01-02T03:04:00Z'))).toBe(
      '50%-20260102-0304',
    );
  });

  it('knows what a snapshot name may contain', () => {
    expect(snapshotNameProblem('auto-2026.01:x_y')).toBeUndefined();
    expect(snapshotNameProblem('a/b')).toMatch(/"\/"/);
    expect(snapshotNameProblem('a@b')).toMatch(/"@"/);
    expect(snapshotNameProblem('')).toMatch(/empty/);
    expect(snapshotNameProblem('x'.repeat(300))).toMatch(/longer/);
  });
});

describe('schedules', () => {
  it('reads presets and cron fields with ranges, steps, lists and names', () => {
    const s = parseSchedule('*/15 9-17 * jan,jul mon-fri');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...s.months]).toEqual([1, 7]);
    expect([...s.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect(parseSchedule('@daily').minutes).toEqual(new Set([0]));
    expect([...parseSchedule('0 0 * * 7').weekdays]).toEqual([0]);
    expect([...parseSchedule('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
  });

  it('rejects what cron would not run, saying why', () => {
    expect(() => parseSchedule('0 * * *')).toThrow(/4 fields/);
    // a word that an object literal inherits is not a preset
    expect(() => parseSchedule('constructor')).toThrow(CronError);
    expect(() => parseSchedule('@toString')).toThrow(/1 field/);
    expect(() => parseSchedule('60 * * * *')).toThrow(/minute: 60 is outside 0–59/);
    expect(() => parseSchedule('0 5-1 * * *')).toThrow(/backwards/);
    expect(() => parseSchedule('*/0 * * * *')).toThrow(/positive/);
    expect(() => parseSchedule('0 0 * foo *')).toThrow(CronError);
    expect(() => parseSchedule('fortnightly')).toThrow(/1 field/);
  });

  it('matches day of month OR day of week when both are restricted (cron(8))', () => {
    const s = parseSchedule('0 0 1 * mon');
    expect(matches(s, utc('2026-06-01T00:00:00Z'))).toBe(true); // the 1st (a Monday too)
    expect(matches(s, utc('2026-07-01T00:00:00Z'))).toBe(true); // the 1st, a Wednesday
    expect(matches(s, utc('2026-07-06T00:00:00Z'))).toBe(true); // a Monday
    expect(matches(s, utc('2026-07-07T00:00:00Z'))).toBe(false);
    const both = parseSchedule('0 0 * * mon');
    expect(matches(both, utc('2026-07-01T00:00:00Z'))).toBe(false);
  });

  it('finds the latest firing at or before now, and the next one after', () => {
    const hourly = parseSchedule('hourly');
    expect(previousFire(hourly, new Date('2026-11-25T10:59:59Z'), true)?.toISOString()).toBe(
      '2026-11-25T10:00:00.000Z',
    );
    expect(previousFire(hourly, new Date('2026-11-25T10:00:00Z'), true)?.toISOString()).toBe(
      '2026-11-25T10:00:00.000Z',
    );
    const weekly = parseSchedule('30 6 * * sun');
    expect(previousFire(weekly, new Date('2026-11-25T12:00:00Z'), true)?.toISOString()).toBe(
      '2026-11-22T06:30:00.000Z',
    );
    expect(nextFire(weekly, new Date('2026-11-22T06:30:00Z'), true)?.toISOString()).toBe(
      '2026-11-29T06:30:00.000Z',
    );
    const leap = parseSchedule('0 12 29 2 *');
    expect(previousFire(leap, new Date('2031-01-01T00:00:00Z'), true)?.toISOString()).toBe(
      '2028-02-29T12:00:00.000Z',
    );
    expect(previousFire(parseSchedule('0 0 31 2 *'), new Date('2026-01-01T00:00:00Z'), true)).toBe(
      undefined,
    );
  });

  it('writes portable cron fields (no steps or names: illumos cron has neither)', () => {
    expect(toCronFields(parseSchedule('*/15 9-17 * * mon-fri'))).toBe('0,15,30,45 9-17 * * 1-5');
    expect(toCronFields(parseSchedule('weekly'))).toBe('0 0 * * 0');
    // a restricted field that covers every value stays restricted
    expect(toCronFields(parseSchedule('0 0 1-31 * mon'))).toBe('0 0 1-31 * 1');
  });

  it('writes systemd OnCalendar values, two of them for day-of-month OR day-of-week', () => {
    expect(toOnCalendar(parseSchedule('hourly'))).toEqual(['*-*-* *:00:00']);
    expect(toOnCalendar(parseSchedule('30 2 * * mon-fri'))).toEqual([
      'Mon,Tue,Wed,Thu,Fri *-*-* 02:30:00',
    ]);
    expect(toOnCalendar(parseSchedule('0 0 1 * sun'))).toEqual([
      '*-*-01 00:00:00',
      'Sun *-*-* 00:00:00',
    ]);
    expect(toOnCalendar(parseSchedule('monthly'))).toEqual(['*-*-01 00:00:00']);
  });
});

describe('retention ages', () => {
  it('parses units and sums parts', () => {
    expect(parseDuration('30d')).toBe(30 * 86400);
    expect(parseDuration('12h')).toBe(43200);
    expect(parseDuration('2w')).toBe(14 * 86400);
    expect(parseDuration('1d 12h')).toBe(36 * 3600);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('0d')).toBeUndefined();
  });
});
