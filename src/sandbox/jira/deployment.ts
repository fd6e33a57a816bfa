import { adfToText, isAdfDoc, textToAdf, type AdfDoc } from './adf.js';

/** Which Jira the simulator plays: Cloud speaks REST v3 with ADF, Data Center REST v2 with plain text. */
export type JiraDeployment = 'cloud' | 'datacenter';

/** Where the simulated REST API lives, and which deployment's representations it answers with. */
export interface RestApi {
  deployment: JiraDeployment;
  /** The server root, e.g. http://127.0.0.1:PORT. */
  root: string;
  /** The REST API root, e.g. http://127.0.0.1:PORT/rest/api/2. */
  url: string;
}

export function apiPrefix(deployment: JiraDeployment): '/rest/api/3' | '/rest/api/2' {
  return deployment === 'cloud' ? '/rest/api/3' : '/rest/api/2';
}

export function restApi(deployment: JiraDeployment, root: string): RestApi {
  return { deployment, root, url: `${root}${apiPrefix(deployment)}` };
}

/**
 * Multi-line text and comment bodies are stored as ADF, the way Jira Cloud keeps them; Data Center
 * shows and takes them as plain strings (wiki markup). A string becomes one paragraph per line, so
 * what Data Center was given reads back unchanged.
 */
export function showText(api: Pick<RestApi, 'deployment'>, doc: AdfDoc): unknown {
  return api.deployment === 'cloud' ? doc : adfToText(doc);
}

/** A text value as this API takes it, in the stored form; null when it is not in the API's form. */
export function takeText(api: Pick<RestApi, 'deployment'>, value: unknown): AdfDoc | null {
  if (api.deployment === 'cloud') return isAdfDoc(value) ? value : null;
  return typeof value === 'string' ? textToAdf(value) : null;
}

/** What each API says when a text value or a comment body comes in the wrong form. */
export function textRefusal(api: Pick<RestApi, 'deployment'>): string {
  return api.deployment === 'cloud'
    ? 'Operation value must be an Atlassian Document (see the Atlassian Document Format).'
    : 'Operation value must be a string';
}

export function commentRefusal(api: Pick<RestApi, 'deployment'>): string {
  return api.deployment === 'cloud'
    ? 'Comment body must be an Atlassian Document (see the Atlassian Document Format).'
    : 'Comment body must be a string (wiki markup).';
}
