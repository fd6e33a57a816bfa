import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface TextSink {
  stream: Writable;
  text(): string;
}

/** A stream that keeps everything written to it, for the test to read back. */
export function textSink(): TextSink {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

export interface CapturedLog {
  log: Logger;
  text(): string;
}

/** A logger at trace level whose JSON lines the test reads back. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  return { log, text: () => lines.join('') };
}
