import { fileURLToPath } from 'node:url';
import type { Platform } from '../../platform/platform.js';
import type { ServiceModule, Stoppable } from '../../platform/service.js';
import { runCommand } from './cli/run.js';
import { DEFAULT_TIMEOUT_MS } from './engine/shop-client.js';
import { createKeyBox } from './key-box.js';
import { OPERATOR_HEADER, registerExchangeRoutes } from './routes.js';
import { createExchangeStore } from './store.js';
import { createTickLock } from './tick-lock.js';
import { createExchangeUseCases, type ExchangeUseCases } from './use-cases.js';

export interface ExchangeOptions {
  /** Per-call timeout towards shops; the spec's 10 s unless a test shortens it. */
  timeoutMs?: number;
}

export function createExchange(platform: Platform, options: ExchangeOptions = {}): ExchangeUseCases {
  const { config } = platform;
  return createExchangeUseCases({
    store: createExchangeStore(platform.db),
    keyBox: createKeyBox(config.EXCHANGE_ADMIN_KEY),
    lock: createTickLock(platform.dbHandle),
    clock: platform.clock,
    logger: platform.logger.child({ service: 'exchange' }),
    seed: config.EXCHANGE_SEED,
    cadence: config.EXCHANGE_CADENCE,
    tickSeconds: config.EXCHANGE_TICK_SECONDS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
}

/** Ticks every `seconds` (measured from the end of the previous tick, so slow ticks never pile up). */
export function startTicker(useCases: ExchangeUseCases, seconds: number, onError: (err: unknown) => void): Stoppable {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = useCases.tickOnce().catch(onError).finally(schedule);
    }, seconds * 1000);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export function createExchangeService(options: ExchangeOptions = {}): ServiceModule {
  return {
    name: 'exchange',
    prefix: '/exchange',
    description: 'The Potion Exchange: a simulator that drives potion shops, keeps their books and scores them.',
    migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
    securitySchemes: {
      exchangeOperator: { type: 'apiKey', in: 'header', name: OPERATOR_HEADER, description: 'EXCHANGE_ADMIN_KEY' },
      exchangeBearer: { type: 'http', scheme: 'bearer', description: 'EXCHANGE_ADMIN_KEY' },
    },
    async register(app, platform) {
      await registerExchangeRoutes(app, createExchange(platform, options), platform.config.EXCHANGE_ADMIN_KEY);
    },
    async startBackground(platform, server) {
      const useCases = createExchange(platform, options);
      const log = platform.logger.child({ service: 'exchange' });
      if (platform.config.EXCHANGE_REGISTER_LOCAL_SHOP) {
        await useCases.ensureLocal(`${server.baseUrl}/shop`, platform.config.SHOP_API_KEY);
      }
      const seconds = platform.config.EXCHANGE_TICK_SECONDS;
      if (seconds <= 0) return { stop: async () => undefined };
      log.info({ seconds }, 'exchange clock started');
      return startTicker(useCases, seconds, (err) => log.error({ err }, 'exchange tick failed'));
    },
    commands: {
      run: (ctx) => runCommand(ctx),
    },
  };
}

export const exchangeService: ServiceModule = createExchangeService();
