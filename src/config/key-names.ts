/** Which environment variable supplied the value at a dotted file key, e.g. `jira.projects` → `JIRA_PROJECTS`. */
export type EnvOrigins = ReadonlyMap<string, string>;

/** A path as written in the file: `jira.fields.runStatus`, `jira.projects[1]`. */
export function fileKey(path: readonly PropertyKey[]): string {
  let key = '';
  for (const segment of path) {
    if (typeof segment === 'number') key += `[${segment}]`;
    else key += key === '' ? String(segment) : `.${String(segment)}`;
  }
  return key === '' ? '(top level)' : key;
}

/** The name a person should look for: the env var when the value came from one, else the file key. */
export function keyName(path: readonly PropertyKey[], origins: EnvOrigins): string {
  const leading: string[] = [];
  for (const segment of path) {
    if (typeof segment !== 'string') break;
    leading.push(segment);
  }
  for (let length = leading.length; length > 0; length--) {
    const origin = origins.get(leading.slice(0, length).join('.'));
    if (origin !== undefined) return origin;
  }
  return fileKey(path);
}

/** A value for a message: strings quoted, URL credentials masked, structures named, not dumped. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(maskUrlCredentials(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

export function maskUrlCredentials(text: string): string {
  return text.replace(/\/\/[^/?#\s]*@/g, '//***@');
}
