import { describe, expect, it } from 'vitest';
import { parseProcStatus } from '../../src/bench/proc-status.js';

describe('parseProcStatus', () => {
  it('reads the resident set and its high-water mark in MiB', () => {
    const text = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  141312 kB\nVmRSS:\t  102400 kB\nThreads:\t11\n';
    expect(parseProcStatus(text)).toEqual({ rssMiB: 100, peakMiB: 138 });
  });

  it('is null when the figures are missing (a kernel thread, another OS)', () => {
    expect(parseProcStatus('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeNull();
  });
});
