import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { type Config, ConfigError, envExample, loadConfig } from './platform/config.js';
import { startEmbeddedMaintenance } from './platform/db.js';
import { type Closer, exitOnSignal } from './platform/lifecycle.js';
import { createLogger } from './platform/logger.js';
import { createPlatform, migratePlatform, type Platform } from './platform/platform.js';
import type { ServiceModule, Stoppable } from './platform/service.js';
import { services } from './services.js';

const USAGE = `usage: guildhall <command> [options]

commands:
  serve                      migrate, then serve every service on PORT (default 3000)
  worker                     run the background workers only (needs DATABASE_URL)
  migrate                    apply pending migrations and exit
  seed <service> [options]   load data into a service (see its docs)
  config check|example       validate the environment / print .env.example
  <service> <command> [...]  a service's own command, e.g. \`guildhall exchange run --help\`

Configuration comes from the environment; see .env.example.`;

const migrationSets = () => services.flatMap((s) => (s.migrationsFolder ? [{ schema: s.name, folder: s.migrationsFolder }] : []));

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78; // EX_CONFIG
    }
    throw err;
  }
  if (command === 'config') {
    if (rest[0] === 'example') process.stdout.write(envExample());
    else process.stdout.write('configuration is valid\n');
    return 0;
  }
  const logger = createLogger(config);
  switch (command) {
    case 'serve':
      return serve(config, logger);
    case 'worker':
      return worker(config, logger);
    case 'migrate':
      return withPlatform(config, logger, async () => {
        logger.info('migrations applied');
        return 0;
      });
    case 'seed': {
      const service = findService(rest[0]);
      if (!service?.seed) return usageError(`seed: name a service that can be seeded: ${names((s) => !!s.seed)}`);
      const seed = service.seed.bind(service);
      return withPlatform(config, logger, async (platform) => {
        await seed({ platform, args: rest.slice(1), out: process.stdout });
        return 0;
      });
    }
    default: {
      const service = findService(command);
      const run = service?.commands?.[rest[0] ?? ''];
      if (!service) return usageError(`unknown command "${command}"`);
      if (!run) return usageError(`${service.name}: commands are ${Object.keys(service.commands ?? {}).join(', ') || 'none'}`);
      return withPlatform(config, logger, async (platform) => (await run({ platform, args: rest.slice(1), out: process.stdout })) ?? 0);
    }
  }
}

function findService(name: string | undefined): ServiceModule | undefined {
  return services.find((s) => s.name === name);
}

function names(filter: (s: ServiceModule) => boolean): string {
  return (
    services
      .filter(filter)
      .map((s) => s.name)
      .join(', ') || '(none)'
  );
}

function usageError(message: string): number {
  process.stderr.write(`guildhall: ${message}\n\n${USAGE}\n`);
  return 2;
}

async function withPlatform(config: Config, logger: Logger, fn: (platform: Platform) => Promise<number>): Promise<number> {
  const release = lockDataDir(config);
  const platform = await createPlatform(config, logger);
  try {
    await migratePlatform(platform, migrationSets());
    return await fn(platform);
  } finally {
    await platform.close();
    release();
  }
}

async function serve(config: Config, logger: Logger): Promise<number> {
  const release = lockDataDir(config);
  const platform = await createPlatform(config, logger);
  await migratePlatform(platform, migrationSets());
  if (config.SEED_DEMO_DATA) {
    for (const service of services) await service.seedDemo?.(platform);
  }
  const maintenance = startEmbeddedMaintenance(platform.dbHandle, logger);
  const app = await buildApp(platform, services);
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  printGeneratedSecrets(config);
  const port = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof port === 'object' && port ? port.port : config.PORT}`;
  const workers: Stoppable[] = [];
  if (config.WORK_IN_SERVE) {
    for (const service of services) if (service.startWorkers) workers.push(await service.startWorkers(platform));
  }
  const background: Stoppable[] = [];
  for (const service of services) if (service.startBackground) background.push(await service.startBackground(platform, { baseUrl }));
  logger.info({ address, docs: `${address}/docs` }, 'guildhall is serving');

  exitOnSignal(
    [
      { name: 'background', close: () => Promise.all(background.map((b) => b.stop())).then(() => undefined) },
      { name: 'http', close: () => app.close() },
      { name: 'workers', close: () => Promise.all(workers.map((w) => w.stop())).then(() => undefined) },
      { name: 'maintenance', close: () => maintenance.stop() },
      { name: 'platform', close: () => platform.close() },
      { name: 'data-dir-lock', close: async () => release() },
    ] satisfies Closer[],
    config.SHUTDOWN_TIMEOUT_MS,
    logger,
  );
  return new Promise<number>(() => undefined); // runs until a signal
}

/** Shown once on the terminal (not through the logger, so never in log files). */
function printGeneratedSecrets(config: Config): void {
  if (config.generatedSecrets.length === 0) return;
  const lines = config.generatedSecrets.map((key) => `  ${key}=${config[key]}`);
  process.stderr.write(`\nGenerated for this run (set them in the environment to keep them across restarts):\n${lines.join('\n')}\n\n`);
}

async function worker(config: Config, logger: Logger): Promise<number> {
  if (!config.DATABASE_URL) {
    process.stderr.write(
      'guildhall worker: needs DATABASE_URL (the embedded database belongs to one process; `serve` already runs the workers in-process).\n',
    );
    return 2;
  }
  const platform = await createPlatform(config, logger);
  await migratePlatform(platform, migrationSets());
  const workers: Stoppable[] = [];
  for (const service of services) if (service.startWorkers) workers.push(await service.startWorkers(platform));
  logger.info({ services: workers.length }, 'workers running');
  exitOnSignal(
    [
      { name: 'workers', close: () => Promise.all(workers.map((w) => w.stop())).then(() => undefined) },
      { name: 'platform', close: () => platform.close() },
    ],
    config.SHUTDOWN_TIMEOUT_MS,
    logger,
  );
  return new Promise<number>(() => undefined);
}

/**
 * The embedded database's files belong to one process at a time: a second `npm start` on the same
 * DATA_DIR would corrupt them, so it is refused with a clear message instead.
 */
function lockDataDir(config: Config): () => void {
  if (config.DATABASE_URL) return () => undefined;
  const dir = resolve(config.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  const lockFile = resolve(dir, 'guildhall.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(`${dir} is in use by process ${holder}; stop it first or set DATA_DIR (or DATABASE_URL).`);
      }
      rmSync(lockFile, { force: true }); // left by a process that died
    }
  }
  throw new Error(`could not lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`guildhall: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
