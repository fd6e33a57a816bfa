import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command line that cannot be understood: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Help text lines for the options, in order. */
  help: string[];
}

const COMMON_HELP = ['  -c, --config FILE   config file (YAML or JSON); also RECONCILER_CONFIG', '  -h, --help          show this help'];

export const COMMON_OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCommand<O extends ParseArgsOptionsConfig>(spec: { name: string; options: O }, argv: readonly string[]) {
  const options = { ...COMMON_OPTIONS, ...spec.options } as typeof COMMON_OPTIONS & O;
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message}\nRun 'jira-airflow-reconciler ${spec.name} --help' for usage.`);
  }
}

export function commandHelp(spec: CommandSpec): string {
  return [`Usage: jira-airflow-reconciler ${spec.usage}`, '', spec.summary, '', 'Options:', ...spec.help, ...COMMON_HELP, ''].join('\n');
}
