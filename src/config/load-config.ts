import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import { readConfig } from './read-config.js';
import type { Config } from './schema.js';

/** The impure edge of configuration: finds and reads the file, then hands everything to readConfig. */
export function loadConfig(env: NodeJS.ProcessEnv, configPath: string | undefined): Config {
  const fromEnv = env['RECONCILER_CONFIG'];
  const path = configPath ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  const readFile = (file: string): string => readFileSync(file, 'utf8');
  if (path === undefined) return readConfig(env, null, readFile);

  const origin = configPath === undefined ? 'RECONCILER_CONFIG' : '--config';
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `${path}: config file not found; check ${origin}, or leave it unset to use defaults and the environment`
        : `${path}: cannot read the config file (${code ?? 'unreadable'}); check ${origin} and the file's permissions`;
    throw new ConfigError([problem], path);
  }
  return readConfig(env, { path, text }, readFile);
}
