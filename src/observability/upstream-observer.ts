import type { Upstream } from '../http/errors.js';
import type { HoldScopeKind } from '../http/limit-scope.js';

/** Gateways report every HTTP exchange here; metrics implement it, tests may record it. */
export interface UpstreamObserver {
  /** `code` is the HTTP status as text, or `error` when no response came. */
  request(upstream: Upstream, code: string, seconds: number): void;
  /** Time a request waited at the upstream's rate-limit gate, by the kind of scope that held it. */
  throttled?(upstream: Upstream, seconds: number, scope: HoldScopeKind): void;
}

export const noopObserver: UpstreamObserver = { request: () => undefined };
