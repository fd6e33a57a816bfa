import { describe, expect, it } from 'vitest';
import { createDrainer } from '../../src/notify/drainer.js';

/** A drain the test finishes by hand, counting how many ran and how many ran at once. */
function heldDrain() {
  const pending: Array<() => void> = [];
  const stats = { started: 0, running: 0, most: 0 };
  const drain = (): Promise<void> => {
    stats.started += 1;
    stats.running += 1;
    stats.most = Math.max(stats.most, stats.running);
    return new Promise<void>((resolve) =>
      pending.push(() => {
        stats.running -= 1;
        resolve();
      }),
    );
  };
  const finishOne = async (): Promise<void> => {
    await until(() => pending.length > 0);
    pending.shift()!();
    await settle();
  };
  return { drain, stats, finishOne, waiting: () => pending.length };
}

/** Lets setImmediate callbacks and promise continuations run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) await settle();
  if (!condition()) throw new Error('the condition never held');
}

describe('the drainer', () => {
  it('drains once for the kicks of one tick, after the synchronous work that kicked ends', async () => {
    const held = heldDrain();
    const drainer = createDrainer(held.drain);
    drainer.kick();
    drainer.kick();
    expect(held.stats.started).toBe(0);
    await settle();
    expect(held.stats.started).toBe(1);
    await held.finishOne();
    expect(held.stats.started).toBe(1);
  });

  it('runs one drain at a time; kicks during a drain make exactly one more after it', async () => {
    const held = heldDrain();
    const drainer = createDrainer(held.drain);
    drainer.kick();
    await settle();
    drainer.kick();
    await settle();
    drainer.kick();
    await settle();
    expect(held.stats).toMatchObject({ started: 1, running: 1 });
    await held.finishOne();
    expect(held.stats.started).toBe(2);
    await held.finishOne();
    expect(held.stats).toMatchObject({ started: 2, running: 0, most: 1 });
  });

  it('flushes: waits for the drain under way, then drains once more', async () => {
    const held = heldDrain();
    const drainer = createDrainer(held.drain);
    drainer.kick();
    await settle();
    let flushed = false;
    void drainer.flush().then(() => (flushed = true));
    await held.finishOne();
    expect(flushed).toBe(false);
    await held.finishOne();
    expect(flushed).toBe(true);
    expect(held.stats).toMatchObject({ started: 2, most: 1 });
  });

  it('starts nothing once stopped, and the stop waits for the drain under way', async () => {
    const held = heldDrain();
    const drainer = createDrainer(held.drain);
    drainer.kick();
    await settle();
    drainer.kick();
    let stopped = false;
    void drainer.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    await held.finishOne();
    expect(stopped).toBe(true);
    drainer.kick();
    await drainer.flush();
    await settle();
    expect(held.stats.started).toBe(1);
  });
});
