import { createApp, type Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { runDaemon, type SignalSource } from '../daemon/daemon.js';
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
  const app = await createApp(config, runtime, { command: 'daemon', logTo: 'stdout', processMetrics: true });
  try {
    return await runDaemon(app, {
      clock: runtime.clock,
      signals: runtime.signals ?? process,
      // A forced stop leaves a pass behind: only ending the process stops it (the lock is released first).
      exit: runtime.exit ?? ((code) => process.exit(code)),
      ...(runtime.onListening ? { onListening: runtime.onListening } : {}),
    });
  } finally {
    // runDaemon closes the store on its own paths; this covers a failure before it starts (port in use).
    await app.close();
  }
}
