import { createApp, loggerFor, type App, type Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { runDaemon, type SignalSource } from '../daemon/daemon.js';
import { appWhenStateAnswers } from '../daemon/wait-for-state.js';
import { daemonSpec } from './specs.js';
import { parseCommand } from './usage.js';


export interface DaemonRuntime extends Runtime {
  signals?: SignalSource;
  onListening?: (url: string) => void;
  exit?: (code: number) => void;
}

export async function daemonCommand(argv: readonly string[], runtime: DaemonRuntime): Promise<number> {
  const { values } = parseCommand(daemonSpec, argv);
  const config = loadConfig(runtime.env, values.config);
  const signals = runtime.signals ?? process;
  const create = (): Promise<App> => createApp(config, runtime, { command: 'daemon', logTo: 'stdout', processMetrics: true });
  const app = config.secrets.databaseUrl ? await appWhenStateAnswers(create, { log: loggerFor(config, runtime, 'stdout'), clock: runtime.clock, signals }) : await create();
  if (!app) return 0;
  try {
    return await runDaemon(app, {
      clock: runtime.clock,
      signals,
      // A forced stop leaves a pass behind: only ending the process stops it (the lock is released first).
      exit: runtime.exit ?? ((code) => process.exit(code)),
      ...(runtime.onListening ? { onListening: runtime.onListening } : {}),
    });
  } finally {
    // runDaemon closes the store on its own paths; this covers a failure before it starts (port in use).
    await app.close();
  }
}
