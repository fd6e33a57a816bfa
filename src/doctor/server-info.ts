import { isUpstreamError } from '../http/errors.js';
import type { JiraCall } from '../jira/jira-call.js';
import { ServerInfo } from './jira-schema.js';

/** The part of jira.js's Version2Client and Version3Client that reads `/serverInfo`. */
export interface ServerInfoClient {
  serverInfo: { getServerInfo<T>(): Promise<T> };
}

export type RestVersion = 2 | 3;

/** `/rest/api/{version}/serverInfo`, or null when the server has no such API (404). */
export function serverInfoReader(clients: Record<RestVersion, ServerInfoClient>, call: JiraCall): (version: RestVersion) => Promise<ServerInfo | null> {
  return async (version) => {
    try {
      return await call.read(`GET /rest/api/${version}/serverInfo`, {}, ServerInfo, () => clients[version].serverInfo.getServerInfo<unknown>());
    } catch (error) {
      if (isUpstreamError(error, 'not_found')) return null;
      throw error;
    }
  };
}
