import type { Logger } from 'pino';

export type Closer = { name: string; close: () => Promise<void> };

/**
 * Runs the closers in order (the caller lists them outermost first: stop intake, finish work, then
 * close resources), each at most once, within `timeoutMs`. Resolves true when everything closed in time.
 */
export async function shutdown(closers: Closer[], timeoutMs: number, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const sequence = (async () => {
    for (const closer of closers) {
      try {
        await closer.close();
        logger.debug({ component: closer.name }, 'closed');
      } catch (err) {
        logger.error({ err, component: closer.name }, 'close failed');
      }
    }
    return true as const;
  })();
  const done = await Promise.race([sequence, deadline]);
  clearTimeout(timer);
  return done;
}

/** On the first SIGTERM/SIGINT, shuts down and exits 0 (1 if the budget ran out); a second signal exits at once. */
export function exitOnSignal(closers: Closer[], timeoutMs: number, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void shutdown(closers, timeoutMs, logger).then((clean) => {
      logger.info({ clean }, clean ? 'shutdown complete' : 'shutdown timed out');
      logger.flush();
      process.exit(clean ? 0 : 1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
