import { describe, expect, it } from 'vitest';
import { gateRequest } from '../../src/http/gate-request.js';
import { limitScope } from '../../src/http/limit-scope.js';

describe('gateRequest', () => {
  it('names the endpoint with its path parameters as placeholders, without host or query', () => {
    expect(gateRequest('put', 'https://x.atlassian.net/rest/api/3/issue/SCR-7?notifyUsers=false')).toEqual({
      endpoint: 'PUT /rest/api/3/issue/{key}',
      issue: 'SCR-7',
      write: true,
    });
    expect(gateRequest('GET', '/rest/api/3/issue/SCR-7/transitions').endpoint).toBe('GET /rest/api/3/issue/{key}/transitions');
    expect(gateRequest('POST', '/rest/api/3/issue/SCR-12/transitions').endpoint).toBe('POST /rest/api/3/issue/{key}/transitions');
    expect(gateRequest('GET', '/rest/api/3/issue/10001/changelog')).toMatchObject({ endpoint: 'GET /rest/api/3/issue/{key}/changelog', issue: '10001', write: false });
    expect(gateRequest('PUT', '/rest/api/3/issue/SCR-7/properties/reconciler.run').endpoint).toBe('PUT /rest/api/3/issue/{key}/properties/{id}');
    expect(gateRequest('GET', '/rest/api/3/field/customfield_10001/context/10002/option').endpoint).toBe('GET /rest/api/3/field/{id}/context/{id}/option');
    expect(gateRequest('GET', '/rest/api/3/issue/createmeta/SCR/issuetypes/10001').endpoint).toBe('GET /rest/api/3/issue/createmeta/{key}/issuetypes/{id}');
    expect(gateRequest('POST', '/rest/api/3/search/jql')).toEqual({ endpoint: 'POST /rest/api/3/search/jql', issue: undefined, write: true });
  });

  it('scopes a 429 as Jira names it, and every Airflow 429 to the whole instance', () => {
    const put = gateRequest('PUT', '/rest/api/3/issue/SCR-7');
    const search = gateRequest('POST', '/rest/api/3/search/jql');
    expect(limitScope('jira', 'jira-burst-based', put)).toEqual({ kind: 'endpoint', endpoint: 'PUT /rest/api/3/issue/{key}' });
    expect(limitScope('jira', 'jira-per-issue-on-write', put)).toEqual({ kind: 'issue', issue: 'SCR-7' });
    // Jira sends the per-issue reason only for writes to an issue; anything else it could mean is the tenant.
    expect(limitScope('jira', 'jira-per-issue-on-write', search)).toEqual({ kind: 'tenant' });
    expect(limitScope('jira', 'jira-quota-tenant-based', put)).toEqual({ kind: 'tenant' });
    expect(limitScope('jira', 'jira-quota-global-based', put)).toEqual({ kind: 'tenant' });
    expect(limitScope('jira', undefined, put)).toEqual({ kind: 'tenant' });
    expect(limitScope('airflow', 'jira-burst-based', gateRequest('POST', '/api/v1/dags/d/dagRuns'))).toEqual({ kind: 'tenant' });
  });
});
