#!/usr/bin/env node
import { systemClock } from './clock.js';
import { main } from './cli/main.js';

// Node opens its inspector on SIGUSR1 when nothing listens for it: never let a stray signal (a
// `systemctl reload` during start-up, a USR1 sent to a one-shot pass) open a debugger on the service.
process.on('SIGUSR1', () => undefined);

const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  clock: systemClock,
});
process.exitCode = code;
