import { isUpstreamError } from '../http/errors.js';
import { keysJql } from './jql.js';
import type { Issue } from './schema.js';

export const KEYS_PER_SEARCH = 50;

export interface ByKeysDeps {
  /** One search (all pages) for these keys. */
  search: (jql: string, keys: readonly string[]) => Promise<Issue[]>;
  /** A direct read; null when the issue does not exist. */
  read: (key: string) => Promise<Issue | null>;
}

/**
 * Issues by key, in chunks of 50. Real Jira refuses the whole search (400) when one key does not
 * exist: the keys its message names are dropped and the search repeated; when the message names none
 * of them, the chunk is read issue by issue, so one deleted ticket does not hide the others.
 */
export async function issuesByKeys(deps: ByKeysDeps, keys: readonly string[]): Promise<Issue[]> {
  const issues: Issue[] = [];
  const unique = [...new Set(keys)];
  for (let index = 0; index < unique.length; index += KEYS_PER_SEARCH) {
    issues.push(...(await searchChunk(deps, unique.slice(index, index + KEYS_PER_SEARCH))));
  }
  return issues;
}

async function searchChunk(deps: ByKeysDeps, chunk: string[]): Promise<Issue[]> {
  let keys = chunk;
  while (keys.length > 0) {
    try {
      return await deps.search(keysJql(keys), keys);
    } catch (error) {
      if (!isUpstreamError(error, 'bad_request')) throw error;
      const named = namedKeys(error.message, keys);
      if (named.size === 0) return readOneByOne(deps, keys);
      keys = keys.filter((key) => !named.has(key.toUpperCase()));
    }
  }
  return [];
}

/** Each issue by a direct read; the ones that do not exist are left out. */
export async function readOneByOne(deps: ByKeysDeps, keys: readonly string[]): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const key of keys) {
    const issue = await deps.read(key);
    if (issue) issues.push(issue);
  }
  return issues;
}

/** Keys of this chunk quoted in Jira's message ("An issue with key 'SCR-9' does not exist for field 'key'."). */
export function namedKeys(message: string, keys: readonly string[]): Set<string> {
  const wanted = new Set(keys.map((key) => key.toUpperCase()));
  const named = new Set<string>();
  for (const match of message.matchAll(/'([^']+)'/g)) {
    const candidate = match[1]?.toUpperCase();
    if (candidate !== undefined && wanted.has(candidate)) named.add(candidate);
  }
  return named;
}
