import { requestMatches, type RequestInfo, type RequestMatch } from './request-match.js';

/**
 * A test's hand on one request, e.g. "the 3rd POST .../dagRuns: apply it, then let the test SIGKILL
 * the daemon before it is answered". Only requests that reach their handler are counted (not those a
 * fault answered), so the effect the hook is about is real.
 */
export interface RequestHook {
  match: RequestMatch;
  /** The nth matching request fires the hook, counted from when it was armed; default 1. */
  nth?: number;
  /** 'before': the hook runs instead of the handler (nothing is applied); 'applied': after it. */
  stage: 'before' | 'applied';
  /** Runs while the request is held; the request waits for it. */
  run: (request: RequestInfo) => void | Promise<void>;
  /** What the held request gets once `run` is done; default 'drop' (its socket is destroyed, no answer). */
  then?: 'answer' | 'drop';
}

export interface HookHandle {
  /** Whether the hook has fired. */
  fired(): boolean;
  /** Disarms the hook if it has not fired. */
  cancel(): void;
}

interface Armed {
  hook: RequestHook;
  seen: number;
  fired: boolean;
}

/** Hooks armed on a simulator; each fires once. */
export class RequestHooks {
  private armed: Armed[] = [];

  add(hook: RequestHook): HookHandle {
    if (hook.nth !== undefined && (!Number.isInteger(hook.nth) || hook.nth < 1)) {
      throw new Error(`A request hook's nth must be a whole number from 1; got ${hook.nth}`);
    }
    const entry: Armed = { hook, seen: 0, fired: false };
    this.armed.push(entry);
    return {
      fired: () => entry.fired,
      cancel: () => {
        this.armed = this.armed.filter((other) => other !== entry);
      },
    };
  }

  /** Counts a request that is about to be served; returns the hook it fires, if any (the first armed wins). */
  arrive(request: RequestInfo): RequestHook | null {
    let firing: Armed | null = null;
    for (const entry of this.armed) {
      if (!requestMatches(entry.hook.match, request)) continue;
      entry.seen += 1;
      if (!firing && entry.seen >= (entry.hook.nth ?? 1)) firing = entry;
    }
    if (!firing) return null;
    firing.fired = true;
    this.armed = this.armed.filter((other) => other !== firing);
    return firing.hook;
  }

  clear(): void {
    this.armed = [];
  }
}
