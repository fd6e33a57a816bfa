#!/usr/bin/env node
import { systemClock } from './clock.js';
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  clock: systemClock,
});
process.exitCode = code;
