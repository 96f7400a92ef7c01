/**
 * HTTP calls to a shop, each with a timeout; never throws — every failure becomes a described outcome.
 * Plain node:http with kept-alive connections rather than fetch: a tick makes a dozen calls per shop,
 * and fetch costs several times more CPU per call (it shares the process with the shop under test).
 */
import http from 'node:http';
import https from 'node:https';

export interface ShopEndpoint {
  baseUrl: string;
  apiKey: string;
}

export type FailureReason = 'timeout' | 'unreachable' | 'http_status' | 'shape';

export interface CallOutcome {
  ok: boolean;
  status: number | null;
  body: unknown;
  latencyMs: number;
  error?: string;
  reason?: FailureReason;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface CallOptions {
  body?: unknown;
  /** Send the shop's access_token (every route but the catalog). */
  auth?: boolean;
  /** Whether a JSON body is expected in the answer. */
  json?: boolean;
  timeoutMs: number;
  /**
   * A limit shared by several calls (a tick's): the call times out at whichever comes first, and is not
   * sent at all once `deadline` (performance.now() time) has passed.
   */
  budget?: { deadline: number; ms: number };
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

// A free connection is closed after 4 s idle, or 1 s before the keep-alive timeout the shop announces
// (Node's agent reads the Keep-Alive hint only when it has a timeout of its own), so calls rarely meet
// a connection the shop has just closed; one that does is retried once on a fresh connection.
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000 };
const agents: Record<string, http.Agent> = { 'http:': new http.Agent(AGENT_OPTIONS), 'https:': new https.Agent(AGENT_OPTIONS) };
/** Redirects are not followed: like fetch's redirect "error", they count as a failed connection. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const utf8 = new TextDecoder();

class CallTimeout extends Error {}

interface RawAnswer {
  status: number;
  location: string | undefined;
  text: string;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
  deadline: number,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const agent = agents[url.protocol];
    if (!agent) {
      reject(Object.assign(new Error(`unsupported protocol ${url.protocol}`), { code: 'ERR_INVALID_PROTOCOL' }));
      return;
    }
    let settled = false;
    const settle = (err: unknown, answer?: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (answer) resolve(answer);
      else reject(err);
    };
    const req = client.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        settle(undefined, { status: res.statusCode ?? 0, location: res.headers.location, text: utf8.decode(Buffer.concat(chunks)) }),
      );
      res.on('error', (err) => settle(err));
      res.on('close', () => settle(Object.assign(new Error('connection closed before the answer ended'), { code: 'ECONNRESET' })));
    });
    const timer = setTimeout(
      () => {
        const err = new CallTimeout();
        settle(err);
        req.destroy(err);
      },
      Math.max(0, deadline - performance.now()),
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!settled && req.reusedSocket && err.code === 'ECONNRESET') {
        // The shop closed a kept-alive connection as it was reused: it never saw this request.
        settled = true;
        clearTimeout(timer);
        send(url, method, headers, payload, deadline).then(resolve, reject);
      } else settle(err);
    });
    req.end(payload);
  });
}

export async function callShop(shop: ShopEndpoint, method: 'GET' | 'POST', path: string, options: CallOptions): Promise<CallOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const what = `${method} ${path}`;
  const failed = (status: number | null, reason: FailureReason, error: string): CallOutcome => ({
    ok: false,
    status,
    body: undefined,
    latencyMs: latency(),
    reason,
    error,
  });
  const { timeoutMs, budget } = options;
  const byBudget = budget !== undefined && budget.deadline < started + timeoutMs;
  const timedOut = () =>
    failed(
      null,
      'timeout',
      byBudget
        ? `${what} was not answered within this tick's budget of ${budget.ms} ms (${timeoutMs} ms per call, ${budget.ms} ms per tick): the shop answers too slowly`
        : `${what} timed out after ${timeoutMs} ms`,
    );
  if (byBudget && budget.deadline <= started) return timedOut();
  const headers: Record<string, string> = { accept: '*/*' };
  if (options.auth !== false) headers.access_token = shop.apiKey;
  const payload = options.body !== undefined ? JSON.stringify(options.body) : undefined;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  let answer: RawAnswer;
  try {
    const deadline = byBudget ? budget.deadline : started + timeoutMs;
    answer = await send(new URL(joinUrl(shop.baseUrl, path)), method, headers, payload, deadline);
  } catch (err) {
    if (err instanceof CallTimeout) return timedOut();
    const detail = (err as { code?: string }).code ?? (err as Error).message;
    return failed(null, 'unreachable', `${what} failed: shop unreachable (${detail})`);
  }
  const { status, text } = answer;
  if (REDIRECTS.has(status)) {
    return failed(
      null,
      'unreachable',
      `${what} failed: shop unreachable (answered ${status}, a redirect${answer.location ? ` to ${answer.location}` : ''}; the exchange does not follow redirects)`,
    );
  }
  if (status < 200 || status > 299) {
    const snippet = text.length > 160 ? `${text.slice(0, 157)}...` : text;
    return failed(status, 'http_status', `${what} answered ${status}${snippet ? `: ${snippet}` : ''}`);
  }
  if (!options.json) return { ok: true, status, body: undefined, latencyMs: latency() };
  try {
    return { ok: true, status, body: JSON.parse(text) as unknown, latencyMs: latency() };
  } catch {
    return failed(status, 'shape', `${what} answered ${status} with a body that is not JSON: ${text.slice(0, 80) || '(empty)'}`);
  }
}
