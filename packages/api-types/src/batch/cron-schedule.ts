// Cron schedules as Kubernetes' CronJob reads them (robfig/cron's standard parser): five fields
// (minute hour day-of-month month day-of-week) or one of the macros @yearly, @annually, @monthly,
// @weekly, @daily, @midnight, @hourly, evaluated in an IANA time zone.
//
// Contract:
// - `parseSchedule(spec, zone)` returns a CronSchedule or an error message; it never throws. The
//   same parse serves validation (the apiserver answers 422 with the message) and the controller
//   (which computes run times), so both agree on what a schedule means.
// - `next(t)` is the first run strictly after t; `previous(t)` the last run at or before t
//   (undefined when there is none). Times are epoch milliseconds.
// - A `TZ=` or `CRON_TZ=` prefix is refused: Kubernetes wants spec.timeZone for that.
// Why a wrapper around cron-parser: it also accepts six-field (seconds) expressions, macros such
// as @secondly and the L/W/# extensions, none of which Kubernetes accepts; this module narrows it
// to what a CronJob written for Kubernetes may say.
import { CronExpressionParser } from 'cron-parser';

export interface CronSchedule {
  /** The first run strictly after `afterMs`. */
  next(afterMs: number): number;
  /** The last run at or before `atMs`, or undefined if the schedule never ran before it. */
  previous(atMs: number): number | undefined;
}

/** The macros Kubernetes (robfig/cron) accepts, as five-field expressions. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
/** Fields of a standard cron expression. */
const STANDARD_FIELDS = 5;
/** Characters of the numeric fields (minute, hour, day of month); names are allowed in month and day of week. */
const NUMERIC_FIELD = /^[0-9*?,/-]+$/;
const NAMED_FIELD = /^[0-9A-Za-z*?,/-]+$/;
/** What Kubernetes answers for a schedule carrying its own time zone. */
export const SCHEDULE_TZ_MESSAGE = 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
/** One path component of an IANA zone name (Kubernetes' validTimeZoneCharacters). */
const ZONE_COMPONENT = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** Whether the schedule names its own time zone (`TZ=...` or `CRON_TZ=...`). */
export function scheduleHasTimeZone(spec: string): boolean {
  return /^\s*(CRON_)?TZ=/.test(spec);
}

/** The five fields `spec` stands for, or an error message. */
function standardFields(spec: string): string | { fields: string[] } {
  const trimmed = spec.trim();
  if (trimmed === '') return 'empty spec string';
  if (trimmed.startsWith('@')) {
    const expanded = MACROS[trimmed.toLowerCase()];
    return expanded ? { fields: expanded.split(' ') } : `unrecognized descriptor: ${trimmed}`;
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== STANDARD_FIELDS) return `expected exactly ${STANDARD_FIELDS} fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (const [i, field] of fields.entries()) {
    const allowed = i < 3 ? NUMERIC_FIELD : NAMED_FIELD;
    if (!allowed.test(field)) return `failed to parse field ${JSON.stringify(field)}: unexpected characters`;
  }
  return { fields };
}

/** Parses `spec` for evaluation in `timeZone` (an IANA name; the local zone when absent). */
export function parseSchedule(spec: string, timeZone?: string): CronSchedule | string {
  if (scheduleHasTimeZone(spec)) return SCHEDULE_TZ_MESSAGE;
  const parsed = standardFields(spec);
  if (typeof parsed === 'string') return parsed;
  const expression = parsed.fields.join(' ');
  const tz = timeZone ?? localTimeZone();
  const at = (ms: number) => CronExpressionParser.parse(expression, { currentDate: new Date(ms), tz });
  try {
    // Parse once eagerly so bad field values surface here, not at the first next().
    at(Date.now()).next();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return {
    next: (afterMs) => at(afterMs).next().getTime(),
    previous: (atMs) => {
      // prev() is strictly before its current date, so step one millisecond past `atMs`.
      try {
        return at(atMs + 1).prev().getTime();
      } catch {
        return undefined; // no run in the searchable past
      }
    },
  };
}

/** The controller manager's own zone, which Kubernetes uses for CronJobs without timeZone. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Why `zone` is not a usable spec.timeZone, or undefined when it is. */
export function timeZoneError(zone: string): string | undefined {
  if (zone === '') return 'timeZone must be nil or non-empty string';
  if (zone.toLowerCase() === 'local') return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  if (!zone.split('/').every((c) => ZONE_COMPONENT.test(c) && c !== '..' && c !== '.')) return `unknown time zone ${zone}`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone ${zone}`;
  }
}

/**
 * RFC 3339 with the zone's offset, as Go's time.RFC3339 prints it: `2026-12-07T13:00:00+01:00`,
 * or `...Z` at offset zero. Seconds precision.
 */
export function formatRFC3339(ms: number, timeZone = 'UTC'): string {
  const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  const suffix = !offset || offset === 'GMT' ? '' : offset.slice('GMT'.length);
  // Go prints a zero offset as Z, whatever the zone.
  if (suffix === '' || /^[+-]00:00$/.test(suffix)) return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const sign = suffix.startsWith('-') ? -1 : 1;
  const [h = '0', m = '0'] = suffix.slice(1).split(':');
  const offsetMs = sign * (Number(h) * 60 + Number(m)) * 60_000;
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMs).toISOString().replace('.000Z', '');
  return `${local}${suffix}`;
}
