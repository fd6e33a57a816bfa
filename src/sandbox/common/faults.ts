export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  /** Destroys the socket without an answer. */
  | { kind: 'reset' }
  /** A 200 whose body is not valid JSON (truncated). */
  | { kind: 'malformed' };

export interface FaultRule {
  fault: Fault;
  method?: string;
  /** A string matches as a prefix of the path (no query). */
  path?: string | RegExp;
  /** How many requests the rule hits before it expires; unlimited when absent. */
  times?: number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** Faults a test arms on a simulator; the first matching rule wins, in the order they were injected. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  inject(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** Pending rules, for a test that wants to check every fault it armed was hit. */
  pending(): FaultRule[] {
    return this.rules.map((active) => active.rule);
  }

  take(method: string, path: string): Fault | null {
    const index = this.rules.findIndex((active) => ruleMatches(active.rule, method, path));
    const active = this.rules[index];
    if (!active) return null;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule.fault;
  }
}

function ruleMatches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? path.startsWith(rule.path) : rule.path.test(path);
}
