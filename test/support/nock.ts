import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** No real network for the file's tests, and no interceptor left over from one test to the next. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
}
