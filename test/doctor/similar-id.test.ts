import { describe, expect, it } from 'vitest';
import { similarId } from '../../src/doctor/similar-id.js';

describe('similarId', () => {
  const ids = ['customfield_source', 'customfield_ops_source', 'customfield_run_id'];

  it('finds the id a typo meant, the closest first', () => {
    expect(similarId('customfield_ops_sourse', ids)).toBe('customfield_ops_source');
    expect(similarId('customfield_sorce', ids)).toBe('customfield_source');
    expect(similarId('CUSTOMFIELD_RUN_ID2', ids)).toBe('customfield_run_id');
  });

  it('names none when nothing is within two edits, or the id itself exists', () => {
    expect(similarId('customfield_10042', ids)).toBeNull();
    expect(similarId('customfield_source', ['customfield_source'])).toBeNull();
  });
});
