/** A JQL date operand as the interval it denotes: a literal covers its whole minute (or day). */
export interface DateRange {
  start: number;
  end: number;
}

const LITERAL = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([-+]?)((?:\d+[wdhm]\s*)+)$/;
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Parses 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd', 'yyyy/MM/dd' (UTC) or a period like '-5m', '-1w 2d'. */
export function parseJqlDate(text: string, now: number): DateRange | null {
  const literal = LITERAL.exec(text.trim());
  if (literal) {
    const [, year, month, day, hour, minute] = literal;
    const start = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0));
    if (Number.isNaN(start)) return null;
    return { start, end: start + (hour === undefined ? UNIT_MS.d! : UNIT_MS.m!) };
  }
  const period = PERIOD.exec(text.trim());
  if (period) {
    let total = 0;
    for (const [, amount, unit] of (period[2] ?? '').matchAll(/(\d+)([wdhm])/g)) total += Number(amount) * (UNIT_MS[unit ?? 'm'] ?? 0);
    const at = period[1] === '-' ? now - total : now + total;
    return { start: at, end: at + 1 };
  }
  if (/^\d{10,}$/.test(text)) {
    const at = Number(text);
    return { start: at, end: at + 1 };
  }
  return null;
}

export function invalidDateMessage(value: string, field: string): string {
  return `Date value '${value}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`;
}
