const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, useGrouping: true });

/** A count as people read it, whatever the host's locale: `6049402` → `6,049,402`. */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** `1 minute`, `2 minutes`; `plural` for the words that do not just take an s. */
export function countOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}
