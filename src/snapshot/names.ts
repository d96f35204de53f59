/**
 * Snapshot names of scheduled policies: a strftime subset, and the rules ZFS
 * applies to the part after the `@`. Pure.
 */

/** Calendar fields of one instant, in the zone the schedule is read in. */
export interface BrokenDownTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** Seconds since the epoch. */
  epoch: number;
}

/**
 * Schedules and names use the machine's local time, as cron and systemd timers
 * do (set TZ to change it); `utc` reads the instant in UTC instead.
 */
export function breakDown(date: Date, utc = false): BrokenDownTime {
  return utc
    ? {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        second: date.getUTCSeconds(),
        weekday: date.getUTCDay(),
        epoch: Math.floor(date.getTime() / 1000),
      }
    : {
        year: date.getFullYear(),
        month: date.getMonth() + 1,
        day: date.getDate(),
        hour: date.getHours(),
        minute: date.getMinutes(),
        second: date.getSeconds(),
        weekday: date.getDay(),
        epoch: Math.floor(date.getTime() / 1000),
      };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The conversions `name_format` understands. */
export const FORMAT_CONVERSIONS = 'YmdHMSjabys%';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function dayOfYear(t: BrokenDownTime): number {
  const start = Date.UTC(t.year, 0, 1);
  const day = Date.UTC(t.year, t.month - 1, t.day);
  return Math.round((day - start) / 86_400_000) + 1;
}

export class NameFormatError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'NameFormatError';
  }
}

/**
 * Expand `%Y %m %d %H %M %S %j %a %b %y %s %%` in `format`. Any other
 * conversion is a NameFormatError (never silently kept).
 */
export function formatSnapshotName(format: string, t: BrokenDownTime): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const k = format[++i];
    switch (k) {
      case 'Y':
        out += pad(t.year, 4);
        break;
      case 'm':
        out += pad(t.month);
        break;
      case 'd':
        out += pad(t.day);
        break;
      case 'H':
        out += pad(t.hour);
        break;
      case 'M':
        out += pad(t.minute);
        break;
      case 'S':
        out += pad(t.second);
        break;
      case 'j':
        out += pad(dayOfYear(t), 3);
        break;
      case 'a':
        out += DAYS[t.weekday]!;
        break;
      case 'b':
        out += MONTHS[t.month - 1]!;
        break;
      case 'y':
        out += pad(t.year % 100);
        break;
      case 's':
        out += String(t.epoch);
        break;
      case '%':
        out += '%';
        break;
      case undefined:
        throw new NameFormatError('the format ends with a lone "%"', i - 1);
      default:
        throw new NameFormatError(
          `"%${k}" is not a supported conversion (use %Y %m %d %H %M %S %j %a %b %y %s or %%)`,
          i - 1,
        );
    }
  }
  return out;
}

/** The format a scheduled policy uses when it has no `name_format`. */
export function defaultNameFormat(policyName: string): string {
  return `${policyName.replace(/%/g, '%%')}-%Y%m%d-%H%M`;
}

/** ZFS allows letters, digits, and `_ - . :` and space in a name component. */
const VALID_COMPONENT = /^[A-Za-z0-9_\-.: ]+$/;
/** ZFS_MAX_DATASET_NAME_LEN: the whole `pool/ds@snap` must be shorter. */
export const MAX_NAME_LENGTH = 255;

/** Why `name` cannot be the part after `@` of a snapshot, or undefined. */
export function snapshotNameProblem(name: string): string | undefined {
  if (name === '') return 'the snapshot name is empty';
  if (!VALID_COMPONENT.test(name)) {
    const bad = [...name].find((ch) => !/[A-Za-z0-9_\-.: ]/.test(ch));
    return `"${name}" contains ${JSON.stringify(bad)}; snapshot names may only contain letters, digits, "_", "-", ".", ":" and space`;
  }
  if (name.length > MAX_NAME_LENGTH)
    return `"${name}" is longer than ${MAX_NAME_LENGTH} characters`;
  return undefined;
}
