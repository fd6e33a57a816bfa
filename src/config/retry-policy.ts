import { overlay } from './overlay.js';
import type { RetrySettings, SourceConfig } from './schema.js';

/** The retry policy for one source and run type: top level < source < run type, key by key. */
export function retryFor(top: RetrySettings, source: SourceConfig | undefined, runType: string): RetrySettings {
  const merged = overlay(overlay(top, source?.retry), source?.runTypes?.[runType]?.retry);
  return { ...merged, when: [...merged.when] };
}

/** Whether a failed run with this error text should be tried again (attempt counts runs so far). */
export function shouldRetry(policy: RetrySettings, attempt: number, errorText: string | null): boolean {
  if (attempt >= policy.attempts) return false;
  if (policy.when.length === 0) return true;
  const text = errorText ?? '';
  return policy.when.some((pattern) => retryPattern(pattern).test(text));
}

/** Seconds to wait before attempt `next` (2, 3, ...): delaySeconds, doubling after each retry. */
export function retryDelaySeconds(policy: RetrySettings, next: number): number {
  return policy.delaySeconds * 2 ** Math.max(0, next - 2);
}

const WITH_FLAGS = /^\/(.*)\/([A-Za-z]*)$/s;

/** `pattern`, or `/pattern/flags` with flags i, m, s or u; throws SyntaxError when invalid. */
export function retryPattern(text: string): RegExp {
  const withFlags = WITH_FLAGS.exec(text);
  if (!withFlags) return new RegExp(text);
  const flags = withFlags[2] ?? '';
  // g and y would make test() remember where it stopped between error texts.
  const unsupported = flags.replace(/[imsu]/g, '');
  if (unsupported !== '') throw new SyntaxError(`flag ${unsupported} is not supported here; use i, m, s or u`);
  return new RegExp(withFlags[1] ?? '', flags);
}
