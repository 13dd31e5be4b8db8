import { describe, expect, it } from 'vitest';
import { Background } from './background.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Background', () => {
  it('runs a task until it says it is done', async () => {
    const bg = new Background();
    let n = 0;
    bg.every(1, () => ++n < 3);
    await sleep(60);
    expect(n).toBe(3);
  });

  it('runs nothing more once cancelled or stopped, and starts nothing after stop', async () => {
    const bg = new Background();
    let a = 0;
    let b = 0;
    const task = bg.every(1, () => ++a > 0);
    bg.every(1, () => ++b > 0);
    await sleep(20);
    task.cancel();
    const seenA = a;
    bg.stop();
    const seenB = b;
    let c = 0;
    bg.every(1, () => ++c > 0);
    await sleep(30);
    expect([a, b, c]).toEqual([seenA, seenB, 0]);
    expect(seenA).toBeGreaterThan(0);
  });

  it('hands an error to onError and stops that task', async () => {
    const bg = new Background();
    const errors: unknown[] = [];
    let n = 0;
    bg.every(
      1,
      () => {
        n++;
        throw new Error('boom');
      },
      (e) => errors.push(e),
    );
    await sleep(30);
    expect(n).toBe(1);
    expect(String(errors[0])).toContain('boom');
  });
});
