import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('createKeyedMutex', () => {
  it('runs holders of a shared key one after another in arrival order, others at once', async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const job = (name: string, keys: number[]) =>
      mutex.with(keys, async () => {
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
      });
    await Promise.all([job('a', [1, 2]), job('b', [2, 3]), job('c', [4, 5]), job('d', [3, 1])]);
    expect(log.indexOf('b+')).toBeGreaterThan(log.indexOf('a-'));
    expect(log.indexOf('d+')).toBeGreaterThan(log.indexOf('b-'));
    expect(log.indexOf('c+')).toBeLessThan(log.indexOf('a-'));
  });

  it('releases the locks when the holder throws', async () => {
    const mutex = createKeyedMutex();
    await expect(mutex.with([1], async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await mutex.with([1], async () => 'ok')).toBe('ok');
  });
});
