import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import { createLogger, stripUrlCredentials } from '../../src/observability/logger.js';
import { textSink as capture } from '../support/log-capture.js';

const SECRET = 'tok-S3CRET-value-123';

describe('createLogger', () => {
  it('replaces a secret inside a logged error and its cause', () => {
    const { stream, text } = capture();
    const log = createLogger({ level: 'debug', secrets: [SECRET], destination: stream });
    log.error({ err: new Error(`login failed for ${SECRET}`, { cause: new Error(`token ${SECRET} refused`) }) }, 'failed');
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain('login failed for [REDACTED]');
  });

  it('replaces known secret values wherever they appear', () => {
    const { stream, text } = capture();
    const log = createLogger({ level: 'debug', secrets: [SECRET], destination: stream });
    log.info({ note: `token is ${SECRET}`, nested: { deeper: [SECRET] } }, `message with ${SECRET}`);
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain('[REDACTED]');
  });

  it('blanks authorization headers and passwords by path', () => {
    const { stream, text } = capture();
    const log = createLogger({ level: 'debug', destination: stream });
    log.info({ headers: { authorization: 'Basic Ym90OnNlY3JldA==' }, password: 'hunter2-pw', request: { headers: { Authorization: 'Bearer abc.def' } } }, 'request');
    expect(text()).not.toContain('Ym90OnNlY3JldA==');
    expect(text()).not.toContain('hunter2-pw');
    expect(text()).not.toContain('abc.def');
  });

  it('logs an axios error by message only, never its request config', () => {
    const { stream, text } = capture();
    const log = createLogger({ level: 'debug', destination: stream });
    const headers = new AxiosHeaders({ Authorization: 'Bearer very-secret-token' });
    const axiosError = new AxiosError('Request failed with status code 500', 'ERR_BAD_RESPONSE', { headers });
    log.error({ err: new UpstreamError('airflow', 'transient', 'airflow answered HTTP 500', { status: 500, cause: axiosError }) }, 'failed');
    log.error({ err: axiosError }, 'raw');
    expect(text()).not.toContain('very-secret-token');
    const first = JSON.parse(text().split('\n')[0] ?? '{}') as { err: Record<string, unknown> };
    expect(first.err).toMatchObject({ type: 'UpstreamError', kind: 'transient', status: 500, upstream: 'airflow' });
  });

  it('strips credentials from URLs', () => {
    expect(stripUrlCredentials('see https://bot:pa55@jira.example.com/x')).toBe('see https://[REDACTED]@jira.example.com/x');
  });
});
