import { readFile } from 'node:fs/promises';

/** Resident memory of a process, in MiB: now and the high-water mark since it started. */
export interface Rss {
  rssMiB: number;
  peakMiB: number;
}

/** Reads /proc/<pid>/status (Linux); null where there is no /proc or the process is gone. */
export async function readRss(pid: number): Promise<Rss | null> {
  try {
    return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (both in kB in the file); null when either is missing. */
export function parseProcStatus(text: string): Rss | null {
  const kib = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match?.[1] ? Number(match[1]) : null;
  };
  const rss = kib('VmRSS');
  const peak = kib('VmHWM');
  if (rss === null || peak === null) return null;
  return { rssMiB: toMiB(rss), peakMiB: toMiB(peak) };
}

function toMiB(kib: number): number {
  return Math.round((kib / 1024) * 10) / 10;
}
