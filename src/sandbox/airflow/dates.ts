/** RFC 3339 with an offset, as Airflow demands of date-time input. A '+' sent unencoded in a query arrives as a space and fails here, as it does in Airflow. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** ms since the epoch, or null when the text is not a date-time with a timezone. */
export function parseDateTime(text: string): number | null {
  if (!DATE_TIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Airflow 2 style: `2025-01-05T10:00:00.123000+00:00` (fraction only when there is one). */
export function formatV1(ms: number): string;
export function formatV1(ms: number | null): string | null;
export function formatV1(ms: number | null): string | null {
  return ms === null ? null : format(ms, '+00:00');
}

/** Airflow 3 style: `2025-01-05T10:00:00.123000Z`. */
export function formatV2(ms: number): string;
export function formatV2(ms: number | null): string | null;
export function formatV2(ms: number | null): string | null {
  return ms === null ? null : format(ms, 'Z');
}

function format(ms: number, zone: string): string {
  const iso = new Date(ms).toISOString();
  const seconds = iso.slice(0, 19);
  const millis = iso.slice(20, 23);
  return millis === '000' ? `${seconds}${zone}` : `${seconds}.${millis}000${zone}`;
}
