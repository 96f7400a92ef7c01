import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { errorBody, errors } from './errors.js';
import type { App } from './service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's answer budget (ms); set by registerRequestTimeouts. */
    requestTimeoutMs?: number;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-client rate limits

export type RateLimitKind = 'registrations' | 'tokenExchanges';

/** One endpoint a single client could abuse by volume, and which limit applies to it. */
export interface RateLimitedRoute {
  method: string;
  /** Full path as registered, prefix included: `/hackathon/register`. */
  url: string;
  kind: RateLimitKind;
}

const KIND_LABEL: Record<RateLimitKind, string> = { registrations: 'registrations', tokenExchanges: 'token exchanges' };

/**
 * Attaches @fastify/rate-limit to the listed routes only (no global limit: reads stay unthrottled).
 * A client is its address as Fastify sees it (TRUST_PROXY decides whether X-Forwarded-For counts; IPv6
 * by /64). With Redis the counters live there, so N replicas enforce one limit; without it each
 * process counts alone, which is exact for the embedded single-process setup. A Redis outage lets
 * requests through rather than failing them: these limits guard against abuse, not correctness.
 * Must be called before the services register their routes.
 */
export async function registerRateLimits(
  app: App,
  options: { config: Config; redis: Redis | undefined; routes: readonly RateLimitedRoute[] },
): Promise<void> {
  const { config, redis, routes } = options;
  const max: Record<RateLimitKind, number> = {
    registrations: config.RATE_LIMIT_REGISTRATIONS,
    tokenExchanges: config.RATE_LIMIT_TOKEN_EXCHANGES,
  };
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const kinds = new Map(routes.map((r) => [`${r.method.toUpperCase()} ${r.url}`, r.kind]));
  // Runs before the plugin's own onRoute hook (added below), so the plugin sees the route config.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const kind = methods.map((m) => kinds.get(`${m} ${route.url}`)).find((k) => k !== undefined);
    if (kind === undefined || max[kind] <= 0) return;
    const limit = max[kind];
    route.config = {
      ...route.config,
      rateLimit: {
        max: limit,
        timeWindow: windowMs,
        errorResponseBuilder: (_request, context) =>
          errors.tooManyRequests(
            `Too many ${KIND_LABEL[kind]} from this client: at most ${limit} per ${config.RATE_LIMIT_WINDOW_SECONDS} s; retry in ${context.after}.`,
            context.ttl / 1000,
            'RATE_LIMITED',
          ),
      },
    };
  });
  await app.register(rateLimit, {
    global: false,
    skipOnError: true,
    ...(redis ? { redis, nameSpace: `${config.REDIS_PREFIX}rate-limit:` } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Request timeouts

const timedOut = new WeakSet<FastifyRequest>();

/** True once the request was answered by its timeout (its handler may still be running). */
export function hasTimedOut(request: FastifyRequest): boolean {
  return timedOut.has(request);
}

/** Routes that stream an upload (CSV, multipart) get the upload budget; everything else the request budget. */
function isStreamedUpload(route: RouteOptions): boolean {
  const consumes = (route.schema as { consumes?: unknown } | undefined)?.consumes;
  return Array.isArray(consumes) && consumes.some((type) => typeof type === 'string' && !type.includes('json'));
}

const kPending = Symbol('guildhall.pendingRequest');

/** The request a connection is working on, and one timer per connection that is re-armed per request. */
interface Pending {
  request: FastifyRequest;
  reply: FastifyReply;
  ms: number;
  timer: NodeJS.Timeout;
}
type TrackedSocket = { [kPending]?: Pending; once?(event: 'close', listener: () => void): unknown };

/**
 * Answers a request that has run out of time: 408 when its body had not fully arrived (the client is
 * slow), otherwise 503 with Retry-After (we are). A handler still running goes on — its transaction
 * either commits or not — and its late result is dropped (see app.ts), so the message says to check
 * before retrying a write.
 *
 * Cost matters here (every request pays it): one timer per connection, re-armed with refresh() for each
 * request on it, instead of a timer (and its bookkeeping) per request. Nothing is cleared on response:
 * the timer finding its request already answered does nothing. (HTTP/1.1 pipelining, which no browser
 * uses, may leave all but the newest request of a connection without a deadline.)
 */
export function registerRequestTimeouts(app: App, config: Pick<Config, 'REQUEST_TIMEOUT_MS' | 'UPLOAD_TIMEOUT_MS'>): void {
  app.addHook('onRoute', (route) => {
    const ms = isStreamedUpload(route) ? config.UPLOAD_TIMEOUT_MS : config.REQUEST_TIMEOUT_MS;
    route.config = { ...route.config, requestTimeoutMs: ms };
    const arm = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      track(request, reply, ms);
      done();
    };
    // A route-level hook: the budget is known here, so nothing is looked up per request.
    route.onRequest = route.onRequest === undefined ? [arm] : [arm, ...[route.onRequest].flat()];
  });
}

function track(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  const socket = request.raw.socket as unknown as TrackedSocket | null;
  if (!socket) return;
  const pending = socket[kPending];
  if (pending === undefined) {
    const timer = setTimeout(expire, ms, socket);
    timer.unref();
    socket[kPending] = { request, reply, ms, timer };
    socket.once?.('close', () => {
      const current = socket[kPending];
      if (current) clearTimeout(current.timer);
    });
    return;
  }
  pending.request = request;
  pending.reply = reply;
  if (pending.ms === ms) {
    pending.timer.refresh();
  } else {
    clearTimeout(pending.timer);
    pending.ms = ms;
    pending.timer = setTimeout(expire, ms, socket);
    pending.timer.unref();
  }
}

function expire(socket: TrackedSocket): void {
  const pending = socket[kPending];
  if (pending) answerTimedOut(pending.request, pending.reply, pending.ms);
}

/** Whether the request's body (if it has one) has fully arrived. */
function bodyReceived(request: FastifyRequest): boolean {
  const { headers, complete } = request.raw;
  const hasBody =
    (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
  if (!hasBody || complete) return true;
  // Injected requests do not track `complete`; a parsed (not streamed) body is all there.
  return (
    complete === undefined &&
    request.body !== undefined &&
    !(typeof request.body === 'object' && request.body !== null && 'pipe' in request.body)
  );
}

function answerTimedOut(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  if (reply.sent || reply.raw.headersSent || request.raw.destroyed) return;
  timedOut.add(request);
  const received = bodyReceived(request);
  request.log.warn({ timeoutMs: ms, bodyReceived: received }, 'request timed out');
  // The connection may still carry an unread body (408) or a late result: do not reuse it.
  reply.header('connection', 'close');
  if (!received) {
    reply
      .code(408)
      .send(errorBody(408, 'REQUEST_TIMEOUT', `The request body did not arrive within ${ms} ms; send it again over a faster connection.`));
    return;
  }
  reply
    .code(503)
    .header('retry-after', '1')
    .send(
      errorBody(
        503,
        'REQUEST_TIMEOUT',
        `The server did not answer within ${ms} ms. The request may still complete: check its effect before retrying a write.`,
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// Load shedding

/** Whether the process is too busy to take new requests. */
export interface LoadMonitor {
  readonly overloaded: boolean;
  close(): void;
}

export interface EventLoopMonitorOptions {
  /** Lag (ms) above which a sample counts as overloaded. */
  maxDelayMs: number;
  /** How often the lag is sampled (ms). */
  sampleMs?: number;
  /** Consecutive overloaded samples before shedding starts (one sample under the limit ends it). */
  samples?: number;
  /** The event loop's mean lag since the last call (ms); the default reads perf_hooks' histogram. */
  readDelayMs?: () => number;
  onChange?: (overloaded: boolean, delayMs: number) => void;
}

/**
 * Event-loop lag, sampled. One long synchronous task (a big draw, a CSV chunk) makes one late sample
 * and is not saturation; a loop that is late sample after sample is, and new work would only queue
 * behind it — so shedding starts after `samples` late samples in a row and stops at the first on-time one.
 */
export function createEventLoopMonitor(options: EventLoopMonitorOptions): LoadMonitor & { sample(): void } {
  const { maxDelayMs, sampleMs = 500, samples = 2 } = options;
  let histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  let read = options.readDelayMs;
  if (!read) {
    const resolution = 10;
    const h = monitorEventLoopDelay({ resolution });
    h.enable();
    histogram = h;
    // The histogram is never reset (a reset drops the next reading, which may be the long one);
    // the window's mean comes from the running count and sum instead.
    let count = 0;
    let sum = 0;
    let last = performance.now();
    read = () => {
      const now = performance.now();
      const drift = now - last - sampleMs;
      last = now;
      const total = h.count > 0 ? h.mean * h.count : 0;
      const n = h.count - count;
      const windowMeanMs = n > 0 ? (total - sum) / n / 1e6 - resolution : drift;
      count = h.count;
      sum = total;
      return Math.max(0, windowMeanMs);
    };
  }
  const readDelayMs = read;
  let late = 0;
  let overloaded = false;
  const monitor = {
    get overloaded() {
      return overloaded;
    },
    sample() {
      const delay = readDelayMs();
      late = delay > maxDelayMs ? late + 1 : 0;
      const next = late >= samples;
      if (next !== overloaded) {
        overloaded = next;
        options.onChange?.(next, delay);
      }
    },
    close() {
      clearInterval(timer);
      histogram?.disable();
    },
  };
  const timer = setInterval(() => monitor.sample(), sampleMs);
  timer.unref();
  return monitor;
}

/** While the monitor says overloaded, new requests get 503 + Retry-After — except liveness (`/health`). */
export function registerLoadShedding(app: App, monitor: LoadMonitor): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (monitor.overloaded && request.routeOptions.url !== '/health') {
      done(errors.unavailable('The server is overloaded; retry shortly.', 1, 'OVERLOADED'));
      return;
    }
    done();
  });
  app.addHook('onClose', async () => monitor.close());
}
