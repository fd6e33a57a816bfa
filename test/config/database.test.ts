import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'pg-connection-string';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { secretValues } from '../../src/config/secrets.js';
import { poolConfig } from '../../src/store/pg/pg-pool.js';
import { MINIMAL_ENV, filesystem, problemsOf, yamlFile } from './helpers.js';

const URL_WITH_PASSWORD = 'postgres://reconciler:pg-secret-pw@db.internal:5432/reconciler';

describe('RECONCILER_DATABASE_URL', () => {
  it('is unset by default: the state stays in the SQLite file', () => {
    expect(readConfig(MINIMAL_ENV, null).secrets.databaseUrl).toBeUndefined();
  });

  it('is a secret like the others: the variable, X_FILE or $CREDENTIALS_DIRECTORY/reconciler_database_url', () => {
    expect(readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL: URL_WITH_PASSWORD }, null).secrets.databaseUrl).toBe(URL_WITH_PASSWORD);
    const read = filesystem({ '/run/secrets/db': `${URL_WITH_PASSWORD}\n`, '/creds/reconciler_database_url': URL_WITH_PASSWORD });
    expect(readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL_FILE: '/run/secrets/db' }, null, read).secrets.databaseUrl).toBe(URL_WITH_PASSWORD);
    expect(readConfig({ ...MINIMAL_ENV, CREDENTIALS_DIRECTORY: '/creds' }, null, read).secrets.databaseUrl).toBe(URL_WITH_PASSWORD);
  });

  it('is never read from the config file', () => {
    expect(problemsOf(() => readConfig(MINIMAL_ENV, yamlFile(`databaseUrl: ${URL_WITH_PASSWORD}\n`))).join('\n')).toMatch(/databaseUrl/);
  });

  it('accepts postgres:// and postgresql://', () => {
    expect(readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL: 'postgresql://u@127.0.0.1/state' }, null).secrets.databaseUrl).toBe(
      'postgresql://u@127.0.0.1/state',
    );
  });

  it('refuses another scheme, naming the variable and never echoing the password', () => {
    const problems = problemsOf(() => readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL: 'mysql://u:pg-secret-pw@h/db' }, null));
    expect(problems).toEqual([
      'RECONCILER_DATABASE_URL: uses mysql:, which is not a PostgreSQL URL; give postgres://user:password@host:5432/database (add ?sslmode=verify-full&sslrootcert=/path/to/ca.pem for TLS)',
    ]);
  });

  it('refuses what is not a URL, a URL without a database, and an unknown sslmode', () => {
    const problemsFor = (url: string) => problemsOf(() => readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL: url }, null)).join('\n');
    expect(problemsFor('db.internal/pg-secret-pw')).toMatch(/RECONCILER_DATABASE_URL: not an absolute URL \(not shown/);
    expect(problemsFor('postgres://u:pg-secret-pw@db.internal')).toMatch(/names no database/);
    expect(problemsFor('postgres://u:pg-secret-pw@db.internal/state?sslmode=always')).toMatch(/sslmode=always is not one of disable, prefer, require, verify-ca, verify-full, no-verify/);
    for (const url of ['db.internal/pg-secret-pw', 'postgres://u:pg-secret-pw@db.internal']) expect(problemsFor(url)).not.toContain('pg-secret-pw');
  });

  it('checks that the CA file named by sslrootcert can be read', () => {
    const url = `${URL_WITH_PASSWORD}?sslmode=verify-full&sslrootcert=/etc/reconciler/ca.pem`;
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL: url }, null, filesystem({})))).toEqual([
      'RECONCILER_DATABASE_URL: cannot read the sslrootcert file "/etc/reconciler/ca.pem" (ENOENT); check the path and that this user may read it',
    ]);
    const read = filesystem({ '/etc/reconciler/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    expect(readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL: url }, null, read).secrets.databaseUrl).toBe(url);
  });

  it('is redacted in logs: the whole URL and its password on its own', () => {
    const values = secretValues(readConfig({ ...MINIMAL_ENV, RECONCILER_DATABASE_URL: URL_WITH_PASSWORD }, null).secrets);
    expect(values).toContain(URL_WITH_PASSWORD);
    expect(values).toContain('pg-secret-pw');
  });
});

describe('TLS to the state database, as node-postgres reads the URL', () => {
  it('verifies the server against the CA file given by sslrootcert', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const dir = mkdtempSync(join(tmpdir(), 'reconciler-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), ca);
      // pg-connection-string reads the file itself when the pool connects.
      const parsed = parse(`${URL_WITH_PASSWORD}?sslmode=verify-full&sslrootcert=${join(dir, 'ca.pem')}`);
      expect(parsed.ssl).toMatchObject({ ca });
      expect((parsed.ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized).not.toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns TLS off only with sslmode=disable, and verification off only with sslmode=no-verify', () => {
    expect(parse(`${URL_WITH_PASSWORD}?sslmode=disable`).ssl).toBe(false);
    expect(parse(`${URL_WITH_PASSWORD}?sslmode=no-verify`).ssl).toMatchObject({ rejectUnauthorized: false });
    expect(parse(`${URL_WITH_PASSWORD}?sslmode=verify-full`).ssl).toEqual({});
  });

  it('hands the URL to the pool whole, with the reconciler named and timeouts set', () => {
    const config = poolConfig(`${URL_WITH_PASSWORD}?sslmode=verify-full`, { command: 'daemon' });
    expect(config).toMatchObject({
      connectionString: `${URL_WITH_PASSWORD}?sslmode=verify-full`,
      application_name: `jira-airflow-reconciler daemon pid ${process.pid}`,
      max: 4,
      statement_timeout: 10_000,
    });
  });
});

describe('ha', () => {
  it('defaults to a 15-second lease', () => {
    expect(readConfig(MINIMAL_ENV, null).ha).toEqual({ leaseSeconds: 15 });
  });

  it('takes a lease of 3 seconds or more from the file', () => {
    expect(readConfig(MINIMAL_ENV, yamlFile('ha:\n  leaseSeconds: 30\n')).ha.leaseSeconds).toBe(30);
    expect(readConfig(MINIMAL_ENV, yamlFile('ha:\n  leaseSeconds: 3\n')).ha.leaseSeconds).toBe(3);
  });

  it('refuses a lease under 3 seconds, a fraction, and unknown keys, naming the key', () => {
    expect(problemsOf(() => readConfig(MINIMAL_ENV, yamlFile('ha:\n  leaseSeconds: 2\n'))).join('\n')).toMatch(/ha\.leaseSeconds/);
    expect(problemsOf(() => readConfig(MINIMAL_ENV, yamlFile('ha:\n  leaseSeconds: 7.5\n'))).join('\n')).toMatch(/ha\.leaseSeconds/);
    expect(problemsOf(() => readConfig(MINIMAL_ENV, yamlFile('ha:\n  leaseSecs: 10\n'))).join('\n')).toMatch(/ha\.leaseSecs/);
  });
});
