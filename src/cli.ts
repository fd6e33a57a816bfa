#!/usr/bin/env -S node --max-semi-space-size=1
// The flag: a small young generation. The daemon's garbage is short-lived request data, and V8's default
// 16 MiB semi-spaces keep some 40 MiB more resident for it while idle (the systemd units pass it too).
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
