import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { secureToken } from './random.js';

/**
 * The one configuration schema. Every key is optional and has a default (or means "off" when unset),
 * so `npm start` with an empty environment runs the embedded setup. `.env.example` is generated from
 * these descriptions (`guildhall config example`) and a test keeps the two in step.
 */
const Bool = (def: boolean, description: string) => Type.Boolean({ default: def, description });
const Int = (def: number, minimum: number, maximum: number, description: string) =>
  Type.Integer({ default: def, minimum, maximum, description });
const Secret = (description: string) =>
  Type.Optional(Type.String({ minLength: 16, maxLength: 512, description: `${description} (secret)` }));

export const ConfigSchema = Type.Object({
  // Server
  PORT: Int(3000, 0, 65535, 'HTTP port (0 picks a free one).'),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Interface to listen on; 0.0.0.0 in containers.' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino log level.' },
  ),
  TRUST_PROXY: Type.String({
    default: '',
    description:
      'Proxies whose X-Forwarded-For (and -Host, -Proto) are trusted: empty (none — the headers are ignored), a hop count, or a comma-separated list of addresses/CIDRs.',
  }),
  BODY_LIMIT_BYTES: Int(1_048_576, 1024, 104_857_600, 'Largest JSON body accepted (bytes); larger → 413.'),
  UPLOAD_LIMIT_BYTES: Int(209_715_200, 1024, 2_147_483_647, 'Largest CSV/multipart upload accepted (bytes).'),
  REQUEST_TIMEOUT_MS: Int(
    30_000,
    1000,
    600_000,
    'A request not answered within this time is answered 503 with Retry-After (408 if its body had not fully arrived).',
  ),
  UPLOAD_TIMEOUT_MS: Int(
    600_000,
    1000,
    3_600_000,
    'The same budget for streamed uploads (routes consuming CSV or multipart, e.g. pokemon imports).',
  ),
  CLIENT_TIMEOUT_MS: Int(60_000, 1000, 600_000, 'A client that has not sent its request headers within this time gets 408.'),
  RATE_LIMIT_WINDOW_SECONDS: Int(
    60,
    1,
    86_400,
    'Window of the per-client rate limits below. A client is its address (IPv6: its /64; X-Forwarded-For only from TRUST_PROXY); with REDIS_URL every process shares the counts.',
  ),
  RATE_LIMIT_REGISTRATIONS: Int(
    300,
    0,
    1_000_000_000,
    'Registrations (participants, trainers, players, shops) one client may make per window; more → 429 with Retry-After; 0 → no limit.',
  ),
  RATE_LIMIT_TOKEN_EXCHANGES: Int(
    600,
    0,
    1_000_000_000,
    'Hackathon token exchanges one client may make per window; more → 429 with Retry-After; 0 → no limit.',
  ),
  LOAD_SHED_EVENT_LOOP_DELAY_MS: Int(
    1000,
    0,
    60_000,
    'Answer new requests 503 with Retry-After (except /health) while the event loop lags more than this for two samples running; 0 → off.',
  ),
  SHUTDOWN_TIMEOUT_MS: Int(10_000, 100, 120_000, 'Graceful shutdown budget after SIGTERM/SIGINT.'),
  // Storage
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL URL; unset → embedded PGlite under DATA_DIR.' }),
  ),
  DATABASE_POOL_SIZE: Int(10, 1, 500, 'node-postgres pool size per process (DATABASE_URL only).'),
  DATA_DIR: Type.String({ default: './data', minLength: 1, description: 'Where the embedded database keeps its files.' }),
  REDIS_URL: Type.Optional(
    Type.String({ pattern: '^rediss?://', description: 'Redis URL; unset → Postgres queue, SQL leaderboard, in-process caches.' }),
  ),
  REDIS_PREFIX: Type.String({ default: 'guildhall:', description: 'Prefix of every Redis key this deployment uses.' }),
  // Jobs
  JOB_LEASE_MS: Int(30_000, 100, 3_600_000, 'How long a worker holds a job before another may take it over.'),
  JOB_MAX_ATTEMPTS: Int(10, 1, 1000, 'Deliveries of a failing job before it is parked as failed.'),
  WORK_IN_SERVE: Bool(true, '`serve` also runs the background workers in-process (set false when running `guildhall worker` separately).'),
  SEED_DEMO_DATA: Bool(true, '`serve` loads demo data into services whose tables are empty.'),
  // shop
  SHOP_API_KEY: Secret('access_token the simulator must send to the shop; unset → a random key is generated at start and printed once'),
  SHOP_STRATEGY: Type.Union([Type.Literal('adaptive'), Type.Literal('baseline')], {
    default: 'adaptive',
    description: 'Shop strategy: adaptive | baseline.',
  }),
  SHOP_CORS_ORIGINS: Type.String({
    default: '*',
    description: 'Comma-separated origins whose web pages may read the shop (CORS; writes from other origins are refused); * for any.',
  }),
  // exchange
  EXCHANGE_ADMIN_KEY: Secret('Operator key for exchange writes; unset → generated at start and printed once'),
  EXCHANGE_TICK_SECONDS: Type.Number({
    default: 5,
    minimum: 0,
    maximum: 86_400,
    description: 'Real-time tick interval; 0 stops the clock.',
  }),
  EXCHANGE_SEED: Int(1, 0, 2_147_483_647, 'Seed of the real-time game.'),
  EXCHANGE_CADENCE: Type.Union([Type.Literal('seed'), Type.Literal('current')], {
    default: 'seed',
    description: 'Barrel/bottling cadence preset: seed | current.',
  }),
  EXCHANGE_REGISTER_LOCAL_SHOP: Bool(true, '`serve` registers the local shop with the local exchange.'),
  // hackathon
  HACKATHON_ADMIN_TOKEN: Secret('Bearer token for hackathon admin endpoints; unset → generated at start and printed once'),
  HACKATHON_TOKENS_PER_ORDER: Int(5, 0, 1000, 'Boba tokens one order costs.'),
  HACKATHON_EXCHANGE_COOLDOWN_SECONDS: Int(5, 0, 86_400, 'Seconds between two token exchanges of one participant.'),
  // raffle
  RAFFLE_MANAGER_IPS: Type.String({
    default: '127.0.0.1,::1',
    description: 'Comma-separated addresses or CIDR ranges recognised as raffle managers.',
  }),
  // arena
  ARENA_API_KEY: Secret('Operator bearer key for the arena; unset → generated at start and printed once'),
});

/** Keys that are generated at start when unset (printed once by `serve`, never logged). */
export const GENERATED_SECRETS = ['SHOP_API_KEY', 'EXCHANGE_ADMIN_KEY', 'HACKATHON_ADMIN_TOKEN', 'ARENA_API_KEY'] as const;
type GeneratedSecret = (typeof GENERATED_SECRETS)[number];

export type Config = Omit<Static<typeof ConfigSchema>, GeneratedSecret> &
  Record<GeneratedSecret, string> & {
    /** Which secrets were generated for this process because the environment did not set them. */
    generatedSecrets: GeneratedSecret[];
  };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into a Config, or throws a ConfigError listing every bad key at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const keys = Object.keys(ConfigSchema.properties);
  const raw: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    // An empty variable means "unset", as in most .env tooling.
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const value = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw)) as Record<string, unknown>;
  // Key by key, so that every bad key is reported (not only the first the validator meets).
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
    if (value[key] === undefined) continue;
    const [first] = Value.Errors(schema, value[key]);
    if (first) problems.push(`${key}=${JSON.stringify(raw[key])}: ${describe(schema, first.message)}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const generatedSecrets = GENERATED_SECRETS.filter((key) => value[key] === undefined);
  for (const key of generatedSecrets) value[key] = secureToken(24);
  return { ...value, generatedSecrets } as Config;
}

function describe(schema: unknown, message: string): string {
  const options = (schema as { anyOf?: { const?: unknown }[] }).anyOf?.map((o) => o.const).filter((c) => c !== undefined);
  return options?.length ? `must be one of ${options.join(', ')}` : message;
}

/** The text of `.env.example`: every key, its default and its meaning. */
export function envExample(): string {
  const lines = ['# Guildhall configuration. Every key is optional; the defaults run the embedded setup.', ''];
  for (const [key, schema] of Object.entries(ConfigSchema.properties) as [string, { default?: unknown; description?: string }][]) {
    lines.push(`# ${schema.description ?? ''}`);
    lines.push(schema.default === undefined ? `# ${key}=` : `# ${key}=${String(schema.default)}`);
  }
  return `${lines.join('\n')}\n`;
}
