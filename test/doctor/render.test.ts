import { describe, expect, it } from 'vitest';
import { fail, pass, skipped } from '../../src/doctor/checks.js';
import { redactor, renderJson, renderText } from '../../src/doctor/render.js';

describe('renderText', () => {
  it('aligns the names, puts a fix line under each failure and sums up', () => {
    const text = renderText([pass('config', 'valid'), fail('jira credentials', 'jira answered HTTP 401', 'set JIRA_PAT'), skipped('jira statuses', 'Jira credentials', 'jira credentials')]);

    expect(text.split('\n')).toEqual([
      'PASS  config            valid',
      'FAIL  jira credentials  jira answered HTTP 401',
      '      fix: set JIRA_PAT',
      'FAIL  jira statuses     skipped: needs Jira credentials',
      "      fix: first make 'jira credentials' pass, then run doctor again",
      '',
      '2 of 3 checks failed (1 of them skipped after an earlier failure).',
      '',
    ]);
  });
});

describe('renderJson', () => {
  it('is one object whose ok is false when any check failed', () => {
    const report = JSON.parse(renderJson([pass('config', 'valid'), fail('state lock', 'held', 'stop it')])) as { ok: boolean; checks: unknown[] };
    expect(report.ok).toBe(false);
    expect(report.checks).toHaveLength(2);
  });
});

describe('redactor', () => {
  it('blanks a secret, its Basic-auth form and credentials in a URL', () => {
    const redact = redactor(['bot@example.com:tok-123', 'tok-123']);
    const basic = Buffer.from('bot@example.com:tok-123').toString('base64');

    expect(redact(`token tok-123, header Basic ${basic}, url https://u:tok-9@host/x`)).toBe(
      'token [REDACTED], header Basic [REDACTED], url https://[REDACTED]@host/x',
    );
  });
});
