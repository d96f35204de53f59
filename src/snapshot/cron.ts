/**
 * Schedules: `hourly`, `daily`, `weekly`, `monthly` (also with a leading `@`)
 * or a 5-field cron expression (minute hour day-of-month month day-of-week;
 * `*`, lists, ranges `a-b`, steps `* /n` and `a-b/n`, month and weekday names).
 * Read in local time, as cron and systemd timers read them. Pure.
 */
import type { BrokenDownTime } from './names.js';
import { breakDown } from './names.js';

export interface CronSchedule {
  /** What the config said. */
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is read as 0). */
  weekdays: ReadonlySet<number>;
  /** Field began with `*`: cron's rule for combining day-of-month and day-of-week. */
  domStar: boolean;
  dowStar: boolean;
}

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

export const PRESETS: Readonly<Record<string, string>> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 0',
  monthly: '0 0 1 * *',
};

const MONTH_NAMES = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES, namesFrom: 1 },
  { label: 'day of week', min: 0, max: 7, names: DAY_NAMES, namesFrom: 0 },
];

function parseValue(text: string, f: FieldSpec): number {
  const lower = text.toLowerCase();
  if (f.names) {
    const i = f.names.indexOf(lower);
    if (i >= 0) return i + (f.namesFrom ?? 0);
  }
  if (!/^\d+$/.test(text))
    throw new CronError(`${f.label}: "${text}" is not a number${f.names ? ' or a name' : ''}`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new CronError(`${f.label}: ${n} is outside ${f.min}–${f.max}`);
  return n;
}

function parseField(text: string, f: FieldSpec): Set<number> {
  const out = new Set<number>();
  if (text === '') throw new CronError(`${f.label}: empty field`);
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronError(`${f.label}: "${part}" has two "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        throw new CronError(`${f.label}: step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = f.min;
      hi = f.max === 7 ? 6 : f.max;
    } else if (range !== undefined && range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined || a === undefined || b === undefined)
        throw new CronError(`${f.label}: "${range}" is not a range`);
      lo = parseValue(a, f);
      hi = parseValue(b, f);
      if (hi < lo) throw new CronError(`${f.label}: range "${range}" runs backwards`);
    } else {
      lo = parseValue(range ?? '', f);
      // "a/n" means from a to the end, stepping n (Vixie cron)
      hi = stepText !== undefined ? (f.max === 7 ? 6 : f.max) : lo;
    }
    for (let v = lo; v <= hi; v += step) out.add(f.max === 7 && v === 7 ? 0 : v);
  }
  return out;
}

/** Parse a schedule; throws CronError with what is wrong. */
export function parseSchedule(text: string): CronSchedule {
  const trimmed = text.trim();
  const key = trimmed.toLowerCase().replace(/^@/, '');
  const expr = (Object.hasOwn(PRESETS, key) ? PRESETS[key] : undefined) ?? trimmed;
  const parts = expr.split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(
      `"${text}" has ${parts.length} field${parts.length === 1 ? '' : 's'}; use hourly, daily, weekly, monthly or 5 cron fields (minute hour day-of-month month day-of-week)`,
    );
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!));
  return {
    source: text,
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2]!,
    months: sets[3]!,
    weekdays: sets[4]!,
    domStar: parts[2]!.startsWith('*'),
    dowStar: parts[4]!.startsWith('*'),
  };
}

/** cron(8): when both day fields are restricted, either one matching is enough. */
function dayMatches(s: CronSchedule, month: number, day: number, weekday: number): boolean {
  if (!s.months.has(month)) return false;
  const dom = s.daysOfMonth.has(day);
  const dow = s.weekdays.has(weekday);
  if (!s.domStar && !s.dowStar) return dom || dow;
  return dom && dow;
}

export function matches(s: CronSchedule, t: BrokenDownTime): boolean {
  return s.minutes.has(t.minute) && s.hours.has(t.hour) && dayMatches(s, t.month, t.day, t.weekday);
}

const DAY_SEARCH_LIMIT = 366 * 8 + 2;

function localDate(utc: boolean, y: number, mo: number, d: number, h = 0, mi = 0): Date {
  return utc ? new Date(Date.UTC(y, mo - 1, d, h, mi)) : new Date(y, mo - 1, d, h, mi);
}

/**
 * The latest time at or before `now` (whole minutes) that the schedule fires,
 * or undefined when it never fires in the last eight years (e.g. "0 0 31 2 *").
 */
export function previousFire(s: CronSchedule, now: Date, utc = false): Date | undefined {
  const t = breakDown(now, utc);
  const hoursDesc = [...s.hours].sort((a, b) => b - a);
  const minutesDesc = [...s.minutes].sort((a, b) => b - a);
  for (let back = 0; back < DAY_SEARCH_LIMIT; back++) {
    const day = breakDown(localDate(utc, t.year, t.month, t.day - back, 12), utc);
    if (!dayMatches(s, day.month, day.day, day.weekday)) continue;
    for (const h of hoursDesc) {
      if (back === 0 && h > t.hour) continue;
      for (const m of minutesDesc) {
        if (back === 0 && h === t.hour && m > t.minute) continue;
        return localDate(utc, day.year, day.month, day.day, h, m);
      }
    }
  }
  return undefined;
}

/** The first time strictly after `after` that the schedule fires. */
export function nextFire(s: CronSchedule, after: Date, utc = false): Date | undefined {
  const t = breakDown(after, utc);
  const hoursAsc = [...s.hours].sort((a, b) => a - b);
  const minutesAsc = [...s.minutes].sort((a, b) => a - b);
  for (let fwd = 0; fwd < DAY_SEARCH_LIMIT; fwd++) {
    const day = breakDown(localDate(utc, t.year, t.month, t.day + fwd, 12), utc);
    if (!dayMatches(s, day.month, day.day, day.weekday)) continue;
    for (const h of hoursAsc) {
      if (fwd === 0 && h < t.hour) continue;
      for (const m of minutesAsc) {
        if (fwd === 0 && h === t.hour && m <= t.minute) continue;
        return localDate(utc, day.year, day.month, day.day, h, m);
      }
    }
  }
  return undefined;
}

/** A set as cron text: `*`, or ranges and single values joined by commas (no steps or names, which illumos cron lacks). */
export function cronFieldText(values: ReadonlySet<number>, min: number, max: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === max - min + 1) return '*';
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The schedule as five plain cron fields, understood by Vixie cron (Linux,
 * FreeBSD) and illumos cron alike. A restricted field is never written as `*`,
 * so the day-of-month/day-of-week rule stays what the config meant.
 */
export function toCronFields(s: CronSchedule): string {
  const dom = s.domStar ? '*' : cronFieldText(s.daysOfMonth, 1, 31).replace(/^\*$/, '1-31');
  const dow = s.dowStar ? '*' : cronFieldText(s.weekdays, 0, 6).replace(/^\*$/, '0-6');
  return [
    cronFieldText(s.minutes, 0, 59),
    cronFieldText(s.hours, 0, 23),
    dom,
    cronFieldText(s.months, 1, 12),
    dow,
  ].join(' ');
}

const SYSTEMD_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function systemdList(values: ReadonlySet<number>, min: number, max: number, width = 2): string {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === max - min + 1) return '*';
  return sorted.map((v) => String(v).padStart(width, '0')).join(',');
}

/**
 * systemd.time(7) `OnCalendar=` values for the schedule. systemd requires the
 * weekday AND the date to match, cron either one when both are restricted:
 * then two values are returned (a timer fires on the union of its OnCalendar=).
 */
export function toOnCalendar(s: CronSchedule): string[] {
  const time = `${systemdList(s.hours, 0, 23)}:${systemdList(s.minutes, 0, 59)}:00`;
  const months = systemdList(s.months, 1, 12);
  const days = systemdList(s.daysOfMonth, 1, 31);
  const weekdays = [...s.weekdays]
    .sort((a, b) => a - b)
    .map((d) => SYSTEMD_DAYS[d]!)
    .join(',');
  const date = (d: string) => `*-${months}-${d}`;
  if (!s.domStar && !s.dowStar)
    return [`${date(days)} ${time}`, `${weekdays} ${date('*')} ${time}`];
  const dowPart = s.dowStar || s.weekdays.size === 7 ? '' : `${weekdays} `;
  return [`${dowPart}${date(s.domStar ? '*' : days)} ${time}`];
}
