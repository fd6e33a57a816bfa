import { readFileSync } from 'node:fs';
import type { Runtime } from '../app.js';
import { ConfigError } from '../config/config-error.js';
import { LockHeldError } from '../store/run-store.js';
import { daemonSpec, demoSpec, doctorSpec, reconcileSpec, runsSpec, stateCopySpec } from './specs.js';
import { setupJiraSpec } from './setup-spec.js';
import { setupAirflowSpec } from './setup-airflow-spec.js';
import { commandHelp, UsageError, type CommandSpec } from './usage.js';

type CommandFn = (argv: readonly string[], runtime: Runtime) => Promise<number>;

interface Command {
  spec: CommandSpec;
  /** Loaded only when the command runs: help and usage errors never pay for jira.js, SQLite or the simulators. */
  load: () => Promise<CommandFn>;
}

const COMMANDS: Command[] = [
  { spec: reconcileSpec, load: async () => (await import('./reconcile-command.js')).reconcileCommand },
  { spec: daemonSpec, load: async () => (await import('./daemon-command.js')).daemonCommand },
  { spec: runsSpec, load: async () => (await import('./runs-command.js')).runsCommand },
  { spec: doctorSpec, load: async () => (await import('./doctor-command.js')).doctorCommand },
  { spec: demoSpec, load: async () => (await import('./demo-command.js')).demoCommand },
  { spec: setupJiraSpec, load: async () => (await import('./setup-command.js')).setupJiraCommand },
  { spec: setupAirflowSpec, load: async () => (await import('./setup-airflow-command.js')).setupAirflowCommand },
  { spec: stateCopySpec, load: async () => (await import('./state-copy-command.js')).stateCopyCommand },
];

/** The command line: returns the exit code (0 ok, 1 could not, 2 usage error). */
export async function main(argv: readonly string[], runtime: Runtime): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    runtime.stdout.write(globalHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    runtime.stdout.write(`${version()}\n`);
    return 0;
  }
  // A two-word command (`setup airflow`) is named by the first two arguments.
  const command = COMMANDS.find((c) => c.spec.name === name) ?? COMMANDS.find((c) => c.spec.name === `${name} ${rest[0] ?? ''}`);
  if (command?.spec.name.includes(' ')) rest.shift();
  if (!command) {
    const targets = COMMANDS.filter((c) => c.spec.name.startsWith(`${name} `));
    if (targets.length > 0) {
      // `setup` alone (or with an unknown target): name the targets rather than calling the command unknown.
      const asked = rest[0] === '--help' || rest[0] === '-h';
      if (asked) {
        runtime.stdout.write(targets.map((c) => commandHelp(c.spec)).join('\n'));
        return 0;
      }
      const what = rest[0] === undefined ? (name === 'setup' ? 'say what to set up' : 'say which one') : `unknown target "${rest[0]}"`;
      runtime.stderr.write(`${name}: ${what}: use one of ${targets.map((c) => c.spec.name).join(', ')}\nRun 'jira-airflow-reconciler ${name} --help' for usage.\n`);
      return 2;
    }
    runtime.stderr.write(`jira-airflow-reconciler: unknown command "${name}"\n\n${globalHelp()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    runtime.stdout.write(commandHelp(command.spec));
    return 0;
  }
  try {
    const run = await command.load();
    return await run(rest, runtime);
  } catch (error) {
    return reportFailure(command.spec.name, error, runtime);
  }
}

function reportFailure(name: string, error: unknown, runtime: Runtime): number {
  if (error instanceof UsageError) {
    runtime.stderr.write(`${name}: ${error.message}\n`);
    return 2;
  }
  if (error instanceof ConfigError || error instanceof LockHeldError) {
    runtime.stderr.write(`${name}: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  runtime.stderr.write(`${name}: ${message}\n`);
  return 1;
}

function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  const lines = COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary.split('\n')[0] ?? ''}`);
  return [
    'Usage: jira-airflow-reconciler <command> [options]',
    '',
    'Turns Jira tickets in Ready to Run into Airflow DAG runs and writes their outcome back, by polling both.',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'jira-airflow-reconciler <command> --help' for a command's options.",
    '',
  ].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
