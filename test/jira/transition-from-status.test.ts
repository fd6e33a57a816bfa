import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import { harness, JIRA } from './helpers.js';

const TRANSITIONS = '/rest/api/3/issue/SCR-1/transitions';

useNock();

describe('transitionTo with the status the caller has just seen', () => {
  it('does not read the status again before moving', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .get(TRANSITIONS)
      .query({ expand: 'transitions.fields' })
      .reply(200, { transitions: [{ id: '31', name: 'Mark done', to: { id: '3', name: 'Completed' }, fields: {} }] })
      .post(TRANSITIONS, (body: { transition: { id: string } }) => body.transition.id === '31')
      .reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', { fromStatus: 'Ready to Run' });

    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: false });
    scope.done();
  });
});
