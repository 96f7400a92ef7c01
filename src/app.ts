import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import { landingPage } from './landing.js';
import {
  clientErrorHandler,
  ErrorSchema,
  errorHandler,
  notFoundHandler,
  rejectUnrepresentableValues,
  SECURITY_HEADERS,
} from './platform/http.js';
import {
  createEventLoopMonitor,
  hasTimedOut,
  type LoadMonitor,
  type RateLimitedRoute,
  registerLoadShedding,
  registerRateLimits,
  registerRequestTimeouts,
} from './platform/limits.js';
import type { Platform } from './platform/platform.js';
import type { App, ServiceModule } from './platform/service.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Endpoints one client could abuse by volume: sign-ups and the hackathon's token exchange. Raffle
 * verification codes are limited by the raffle itself (per client and per ticket, see its rate-limit.ts).
 */
export const RATE_LIMITED_ROUTES: readonly RateLimitedRoute[] = [
  { method: 'POST', url: '/hackathon/register', kind: 'registrations' },
  { method: 'POST', url: '/pokemon/trainers', kind: 'registrations' },
  { method: 'POST', url: '/arena/players', kind: 'registrations' },
  { method: 'POST', url: '/exchange/shops', kind: 'registrations' },
  { method: 'PUT', url: '/hackathon/bbt_token_exchange', kind: 'tokenExchanges' },
];

export interface BuildAppOptions {
  /** Replaces the event-loop monitor behind load shedding (tests drive it by hand). */
  loadMonitor?: LoadMonitor;
  /** Replaces RATE_LIMITED_ROUTES. */
  rateLimitedRoutes?: readonly RateLimitedRoute[];
}

/** Builds the HTTP app (without listening): platform routes, docs, and each service under its prefix. */
export async function buildApp(platform: Platform, services: readonly ServiceModule[], options: BuildAppOptions = {}): Promise<App> {
  const { config } = platform;
  // Node answers a request whose headers (or, as a backstop, whole body) are late itself, through
  // clientErrorHandler; registerRequestTimeouts below gives handlers their budgets.
  const receiveTimeoutMs = Math.max(config.REQUEST_TIMEOUT_MS, config.UPLOAD_TIMEOUT_MS) + 10_000;
  const app = Fastify({
    loggerInstance: platform.logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: receiveTimeoutMs,
    http: {
      requestTimeout: receiveTimeoutMs,
      headersTimeout: config.CLIENT_TIMEOUT_MS,
      // Node checks the two timeouts above on this interval (default 30 s): a quarter of the budget.
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.CLIENT_TIMEOUT_MS / 4))),
    },
    clientErrorHandler,
    // Router-level refusals (a path parameter over maxParamLength, a malformed %-escape) in the one error shape.
    frameworkErrors: errorHandler,
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 500 },
    // Accept a caller's request id only when it is harmless to log.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('preHandler', rejectUnrepresentableValues);
  app.addSchema(ErrorSchema);
  // First hook: every response, errors and refusals included, carries the security headers.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS).header('x-request-id', request.id);
    done();
  });
  const loadMonitor =
    options.loadMonitor ??
    (config.LOAD_SHED_EVENT_LOOP_DELAY_MS > 0
      ? createEventLoopMonitor({
          maxDelayMs: config.LOAD_SHED_EVENT_LOOP_DELAY_MS,
          onChange: (overloaded, delayMs) =>
            overloaded
              ? app.log.warn({ eventLoopDelayMs: Math.round(delayMs) }, 'event loop saturated: shedding load with 503')
              : app.log.info({ eventLoopDelayMs: Math.round(delayMs) }, 'event loop recovered: taking requests again'),
        })
      : undefined);
  if (loadMonitor) registerLoadShedding(app, loadMonitor);
  registerRequestTimeouts(app, config);
  await registerRateLimits(app, { config, redis: platform.redis, routes: options.rateLimitedRoutes ?? RATE_LIMITED_ROUTES });
  // While shutting down, in-flight responses end their keep-alive connection, so close() is not held
  // open by clients that would otherwise reuse the socket.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  waitForHandlersOnClose(app);

  await app.register(swagger, {
    // Name shared schemas by their $id (`#/components/schemas/Error`) instead of def-0, def-1….
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Guildhall',
        version: '0.1.0',
        description: services.map((s) => `- **${s.name}** (\`${s.prefix}\`): ${s.description}`).join('\n'),
      },
      tags: services.map((s) => ({ name: s.name, description: s.description })),
      components: { securitySchemes: Object.assign({}, ...services.map((s) => s.securitySchemes ?? {})) },
    },
  });
  // The platform's CSP (set on every response) covers Swagger UI: it loads only same-origin scripts.
  // The validator badge would fetch from validator.swagger.io, which the CSP (rightly) refuses.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(landingPage(services)));
  app.get(
    '/health',
    { schema: { tags: ['platform'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  const DependencyState = Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('not configured')]);
  const ReadySchema = Type.Object({
    status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
    database: DependencyState,
    redis: DependencyState,
  });
  app.get(
    '/ready',
    {
      schema: {
        tags: ['platform'],
        summary: 'Readiness: the database (and Redis when configured) answer',
        // 503 is also the platform's own refusal (load shedding, timeout) in the error shape.
        response: { 200: ReadySchema, 503: Type.Union([ReadySchema, ErrorSchema]) },
      },
    },
    async (_request, reply) => {
      const states = await platform.readiness();
      const ready = states.database === 'up' && states.redis !== 'down';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', ...states });
    },
  );

  for (const service of services) {
    await app.register(
      async (scope) => {
        scope.addHook('onRoute', (route) => {
          route.schema = { ...route.schema, tags: route.schema?.tags ?? [service.name] };
        });
        await service.register(scope, platform);
      },
      { prefix: service.prefix },
    );
  }
  return app;
}

/** TRUST_PROXY: '' → trust nobody; a number → that many hops; otherwise a list of addresses/CIDRs. */
export function parseTrustProxy(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false') return false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return (_address, hop) => hop < hops;
  }
  return trimmed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * close() resolves once every connection has ended — but a handler whose client disconnected is
 * still running, and would find the database pool closed under it. Count running handlers and make
 * close() wait for them, so the shutdown sequence closes the platform only when no work is left.
 * The same wrapper drops the late result of a handler whose request was already answered by its timeout.
 */
function waitForHandlersOnClose(app: App): void {
  let running = 0;
  const idle: (() => void)[] = [];
  const finished = () => {
    running -= 1;
    if (running === 0) for (const resolve of idle.splice(0)) resolve();
  };
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: unknown, request, reply) {
      // Answered by its timeout while still in a hook: the work has no one to go to, so skip it.
      if (hasTimedOut(request)) return Promise.resolve(undefined);
      const result: unknown = handler.call(this as never, request, reply);
      if (result instanceof Promise) {
        running += 1;
        result.then(finished, finished);
        // A handler outliving its request's timeout: its result (or failure) is dropped, not sent twice.
        return result.then(
          (value: unknown) => (hasTimedOut(request) ? undefined : value),
          (err: unknown) => {
            if (!hasTimedOut(request)) throw err;
            request.log.warn({ err }, 'request failed after it had timed out');
            return undefined;
          },
        );
      }
      return result;
    } as typeof handler;
  });
  app.addHook('onClose', async () => {
    if (running > 0) await new Promise<void>((resolve) => idle.push(resolve));
  });
}
