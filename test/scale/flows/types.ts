import type { Db } from '../../../src/platform/db.js';
import type { Api } from '../support/api.js';

export interface FlowContext {
  api: Api;
  /** The database every process shares (for the end-of-run SQL checks). */
  db: Db;
  /**
   * Scale-out runs know the outcome of every request, so counts must match exactly. Fault runs allow
   * requests whose outcome is unknown (a 503 or no answer while a dependency was down): those may or
   * may not have been applied, and the checks bound the counts instead.
   */
  exact: boolean;
}

/** One service's money-like traffic: set up, one random operation at a time, then checks. */
export interface Flow {
  name: string;
  /** Creates what the flow plays with; every request must succeed. */
  setup(): Promise<void>;
  /** One random operation (one or a few requests). */
  step(): Promise<void>;
  /** After the load, with every dependency back: resolve unknown outcomes, finish what is pending. */
  settle(): Promise<void>;
  /** The invariants, on the database and on what the clients were told. */
  check(): Promise<void>;
}

/** Secrets every process of a run shares. */
export const SECRETS = {
  SHOP_API_KEY: 'scale-shop-key-0123456789abcdef',
  EXCHANGE_ADMIN_KEY: 'scale-exchange-admin-key-0123456789',
  HACKATHON_ADMIN_TOKEN: 'scale-hackathon-admin-token-0123456789',
  ARENA_API_KEY: 'scale-arena-operator-key-0123456789',
};

/** The manager's address as the (trusted) proxy reports it in X-Forwarded-For. */
export const RAFFLE_MANAGER_IP = '10.255.0.1';

/**
 * The environment of every process in these tests: no demo data, no exchange clock, no in-process
 * workers in `serve`, the baseline shop strategy, no per-client limits, and X-Forwarded-For trusted
 * from 127.0.0.1 so that the load generator can speak for many raffle clients.
 */
export function guildhallEnv(databaseUrl: string, redis?: { url: string; prefix: string }): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix } : {}),
    SEED_DEMO_DATA: 'false',
    WORK_IN_SERVE: 'false',
    EXCHANGE_TICK_SECONDS: '0',
    EXCHANGE_REGISTER_LOCAL_SHOP: 'false',
    SHOP_STRATEGY: 'baseline',
    TRUST_PROXY: '127.0.0.1',
    RAFFLE_MANAGER_IPS: RAFFLE_MANAGER_IP,
    HACKATHON_EXCHANGE_COOLDOWN_SECONDS: '1',
    // One load generator speaks for every client from 127.0.0.1, on a machine of any speed: per-client
    // rate limits and event-loop load shedding (tested on their own in test/platform/limits.test.ts)
    // would turn its requests into 429/503s whose timing, not correctness, decides the outcome.
    RATE_LIMIT_REGISTRATIONS: '0',
    RATE_LIMIT_TOKEN_EXCHANGES: '0',
    LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
    ...SECRETS,
  };
}
