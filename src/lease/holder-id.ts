import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface HolderIdentity {
  /** `<hostname>:<pid>:<random>`: one process, one life; a restarted process is a new holder. */
  holder: string;
  hostname: string;
  pid: number;
  /** What holds it (`daemon`), shown by `doctor` and kept in the history. */
  command: string;
}

export function holderIdentity(command = 'daemon', host = hostname(), pid = process.pid): HolderIdentity {
  return { holder: `${host}:${pid}:${randomBytes(4).toString('hex')}`, hostname: host, pid, command };
}
