import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { packageVersion, userAgent } from '../../src/http/user-agent.js';

describe('userAgent', () => {
  it('names the package, its version, the host and the process', () => {
    expect(userAgent()).toBe(`jira-airflow-reconciler/${packageVersion()} (${hostname()}; pid ${process.pid})`);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
