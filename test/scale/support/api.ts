/**
 * The load generator's HTTP side: plain fetch against several API processes (requests alternate between
 * them, or go to a chosen one), and a tally of every answer for the end-of-run checks.
 */

export interface Reply {
  /** HTTP status; 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  body: unknown;
  /** Which server answered. */
  server: number;
  /** The Retry-After header, if any. */
  retryAfter?: string | undefined;
  error?: string;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send to this server (index into the list) instead of the next one in turn. */
  server?: number;
}

export interface Tally {
  /** `service op status` → count. */
  counts: Map<string, number>;
  /** Answers that break the error contract (a 500, a 503 without the error shape, no answer at all…). */
  violations: string[];
  /** Answers (of any status) per server index. */
  byServer: number[];
}

const TIMEOUT_MS = 20_000;

export class Api {
  private turn = 0;
  readonly tally: Tally = { counts: new Map(), violations: [], byServer: [] };
  /** Statuses a request may end with only because a dependency is down (fault tests allow them). */
  allowUnavailable = false;

  constructor(readonly urls: string[]) {}

  get servers(): number {
    return this.urls.length;
  }

  async call(op: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const server = options.server ?? this.turn++ % this.urls.length;
    const headers: Record<string, string> = { ...options.headers };
    let payload: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
    }
    let reply: Reply;
    try {
      const res = await fetch(`${this.urls[server]}${path}`, {
        method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: kept as text for the report
      }
      reply = { status: res.status, body, server, retryAfter: res.headers.get('retry-after') ?? undefined };
    } catch (err) {
      reply = {
        status: 0,
        body: undefined,
        server,
        error: err instanceof Error ? `${err.message} ${String(err.cause ?? '')}` : String(err),
      };
    }
    this.record(op, method, path, reply);
    return reply;
  }

  private record(op: string, method: string, path: string, reply: Reply): void {
    const key = `${op} ${reply.status}`;
    this.tally.counts.set(key, (this.tally.counts.get(key) ?? 0) + 1);
    if (reply.status !== 0) this.tally.byServer[reply.server] = (this.tally.byServer[reply.server] ?? 0) + 1;
    const where = `${method} ${path} on server ${reply.server}`;
    if (reply.status >= 400 && !hasErrorShape(reply)) {
      this.violate(`${where}: ${reply.status} without the error shape: ${JSON.stringify(reply.body)}`);
    } else if (reply.status >= 500 && !(this.allowUnavailable && reply.status === 503)) {
      this.violate(`${where}: ${reply.status} ${JSON.stringify(reply.body)}`);
    } else if (reply.status === 503 && !reply.retryAfter) {
      this.violate(`${where}: 503 without Retry-After: ${JSON.stringify(reply.body)}`);
    } else if (reply.status === 0) {
      this.violate(`${where}: no answer (${reply.error})`);
    }
  }

  private violate(message: string): void {
    if (this.tally.violations.length < 50) this.tally.violations.push(message);
  }

  /** A readable summary of the answers, for failure messages and the test log. */
  summary(): string {
    return [...this.tally.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}: ${n}`)
      .join('\n');
  }

  count(filter: (op: string, status: number) => boolean): number {
    let n = 0;
    for (const [key, c] of this.tally.counts) {
      const at = key.lastIndexOf(' ');
      if (filter(key.slice(0, at), Number(key.slice(at + 1)))) n += c;
    }
    return n;
  }
}

/** `{ statusCode, code, error, message }` with statusCode equal to the HTTP status. */
export function hasErrorShape(reply: Reply): boolean {
  const b = reply.body as Record<string, unknown> | undefined;
  return (
    typeof b === 'object' &&
    b !== null &&
    b.statusCode === reply.status &&
    typeof b.code === 'string' &&
    typeof b.error === 'string' &&
    typeof b.message === 'string'
  );
}

/** True when the outcome of a write is unknown to the client: it may or may not have been applied. */
export function unknownOutcome(reply: Reply): boolean {
  return reply.status === 0 || reply.status >= 500;
}

/** Runs `lanes` loops of `step` until `done()` says stop; an exception in a step stops everything. */
export async function runLanes(lanes: number, step: (lane: number) => Promise<void>, done: () => boolean): Promise<void> {
  let failed: unknown;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (!done() && failed === undefined) {
        try {
          await step(lane);
        } catch (err) {
          failed ??= err;
        }
      }
    }),
  );
  if (failed !== undefined) throw failed;
}

export const pick = <T>(items: readonly T[]): T => {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(Math.random() * items.length)] as T;
};
export const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
