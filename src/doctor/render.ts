import { stripUrlCredentials } from '../observability/logger.js';
import { allPassed, type Check } from './checks.js';

const REDACTED = '[REDACTED]';

/** `PASS  <name>  <detail>` per check, names in one column, an indented `fix:` line under each failure. */
export function renderText(checks: readonly Check[]): string {
  const width = Math.max(0, ...checks.map((check) => check.name.length));
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${check.ok ? 'PASS' : 'FAIL'}  ${check.name.padEnd(width)}  ${check.detail}`.trimEnd());
    if (!check.ok && check.hint !== undefined) lines.push(`      fix: ${check.hint}`);
  }
  lines.push('', summary(checks));
  return `${lines.join('\n')}\n`;
}

function summary(checks: readonly Check[]): string {
  const failed = checks.filter((check) => !check.ok).length;
  const skipped = checks.filter((check) => check.skipped).length;
  if (failed === 0) return `All ${checks.length} checks passed.`;
  const after = skipped > 0 ? ` (${skipped} of them skipped after an earlier failure)` : '';
  return `${failed} of ${checks.length} checks failed${after}.`;
}

export function renderJson(checks: readonly Check[]): string {
  return `${JSON.stringify({ ok: allPassed(checks), checks })}\n`;
}

/**
 * The last guard before output: no check should quote a secret, but an upstream's error text or a
 * URL with credentials could carry one, so every known secret (and its Basic-auth form) is blanked.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const needles = secrets.filter((secret) => secret.length > 0);
  return (text) => {
    let out = stripUrlCredentials(text);
    for (const secret of needles) {
      out = out.split(secret).join(REDACTED).split(Buffer.from(secret).toString('base64')).join(REDACTED);
    }
    return out;
  };
}
