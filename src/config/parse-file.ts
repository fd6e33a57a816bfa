import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';

export interface ConfigFile {
  path: string;
  text: string;
}

/** The file's content as a plain mapping; YAML or JSON by extension, an empty file is an empty mapping. */
export function parseConfigFile(file: ConfigFile): Record<string, unknown> {
  const extension = extname(file.path).toLowerCase();
  let data: unknown;
  try {
    if (extension === '.json') data = JSON.parse(file.text);
    else if (extension === '.yaml' || extension === '.yml') data = parseYaml(file.text);
    else fail(file.path, `unsupported extension "${extension}"; use .yaml, .yml or .json`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // The first line says what and where; the rest of the parser's text is a snippet of the file.
    const reason = ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').replace(/:$/, '');
    fail(file.path, `not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${reason}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    fail(file.path, 'the top level must be a mapping of settings (e.g. "jira:", "airflow:")');
  }
  return data as Record<string, unknown>;
}

function fail(path: string, problem: string): never {
  throw new ConfigError([`${path}: ${problem}`], path);
}
