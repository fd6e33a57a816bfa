import { describe, expect, it } from 'vitest';
import { createSetupHttp, isRefusal, SetupHttpError } from '../../src/setup/setup-http.js';

function answering(status: number, body: unknown): typeof fetch {
  return (() => Promise.resolve(new Response(JSON.stringify(body), { status })));
}

async function failure(status: number, body: unknown): Promise<unknown> {
  const http = createSetupHttp({ apiUrl: 'https://jira.example.com/rest/api/3', authorization: 'Basic x', timeoutMs: 1000, fetch: answering(status, body) });
  return http.post('/field', { name: 'Source' }).catch((error: unknown) => error);
}

describe('setup\'s Jira client', () => {
  it('counts reads and writes, whatever the answer', async () => {
    const http = createSetupHttp({ apiUrl: 'https://jira.example.com/rest/api/3', authorization: null, timeoutMs: 1000, fetch: answering(200, []) });
    await http.get('/field');
    await http.get('/status');
    await http.post('/statuses', {});
    expect(http.counts).toEqual({ reads: 2, writes: 1 });
  });

  it('takes 403, 401, and a 400 that says the permission is missing, as a refusal; not a 400 about the request', async () => {
    expect(isRefusal(await failure(403, { errorMessages: ['Forbidden'], errors: {} }))).toBe(true);
    expect(isRefusal(await failure(401, { errorMessages: [], errors: {} }))).toBe(true);
    expect(isRefusal(await failure(400, { errorMessages: ['Only Jira administrators have permission to do this.'], errors: {} }))).toBe(true);
    const invalid = await failure(400, { errorMessages: [], errors: { searcherKey: 'The searcher is not valid for the field type.' } });
    expect(isRefusal(invalid)).toBe(false);
    expect(invalid).toBeInstanceOf(SetupHttpError);
    expect((invalid as SetupHttpError).message).toBe('POST /field answered 400: The searcher is not valid for the field type.');
  });
});
