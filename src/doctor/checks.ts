/** One line of the doctor's report. A failed check says how to fix it in `hint`. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
  /** Not made because an earlier check failed; counted as a failure. */
  skipped?: true;
}

export function pass(name: string, detail: string): Check {
  return { name, ok: true, detail };
}

export function fail(name: string, detail: string, hint: string): Check {
  return { name, ok: false, detail, hint };
}

/**
 * A check that could not be made because an earlier one failed. It fails too, so the exit code never
 * hides an unchecked item; its hint points at the check to fix first.
 */
export function skipped(name: string, needs: string, fixFirst: string): Check {
  return { ...fail(name, `skipped: needs ${needs}`, `first make '${fixFirst}' pass, then run doctor again`), skipped: true };
}

export function allPassed(checks: readonly Check[]): boolean {
  return checks.every((check) => check.ok);
}
