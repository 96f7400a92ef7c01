import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { createTickLock } from './tick-lock.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform();
});
afterAll(async () => p.close());

describe('tick lock', () => {
  it('lets only one of two locks on the same database run at a time, then frees itself', async () => {
    const a = createTickLock(p.dbHandle);
    const b = createTickLock(p.dbHandle);
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const running = new Promise<void>((r) => (started = r));
    const held = a.tryRun(
      () =>
        new Promise<string>((r) => {
          release = () => r('a');
          started();
        }),
    );
    await running;
    expect(await b.tryRun(async () => 'b')).toEqual({ ran: false });
    expect(await a.tryRun(async () => 'a again')).toEqual({ ran: false });
    release();
    expect(await held).toEqual({ ran: true, value: 'a' });
    expect(await b.tryRun(async () => 'b')).toEqual({ ran: true, value: 'b' });
  });

  it('frees the lock when the work throws', async () => {
    const a = createTickLock(p.dbHandle);
    await expect(a.tryRun(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await a.tryRun(async () => 1)).toEqual({ ran: true, value: 1 });
  });
});
