/** HTTP calls to a shop, each with a timeout; never throws — every failure becomes a described outcome. */

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
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

export async function callShop(shop: ShopEndpoint, method: 'GET' | 'POST', path: string, options: CallOptions): Promise<CallOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const headers: Record<string, string> = {};
  if (options.auth !== false) headers.access_token = shop.apiKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const what = `${method} ${path}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(joinUrl(shop.baseUrl, path), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        ok: false,
        status: null,
        body: undefined,
        latencyMs: latency(),
        reason: 'timeout',
        error: `${what} timed out after ${options.timeoutMs} ms`,
      };
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err as Error).message;
    return {
      ok: false,
      status: null,
      body: undefined,
      latencyMs: latency(),
      reason: 'unreachable',
      error: `${what} failed: shop unreachable (${detail})`,
    };
  }
  if (response.status < 200 || response.status > 299) {
    const snippet = text.length > 160 ? `${text.slice(0, 157)}...` : text;
    return {
      ok: false,
      status: response.status,
      body: undefined,
      latencyMs: latency(),
      reason: 'http_status',
      error: `${what} answered ${response.status}${snippet ? `: ${snippet}` : ''}`,
    };
  }
  if (!options.json) return { ok: true, status: response.status, body: undefined, latencyMs: latency() };
  try {
    return { ok: true, status: response.status, body: JSON.parse(text) as unknown, latencyMs: latency() };
  } catch {
    return {
      ok: false,
      status: response.status,
      body: undefined,
      latencyMs: latency(),
      reason: 'shape',
      error: `${what} answered ${response.status} with a body that is not JSON: ${text.slice(0, 80) || '(empty)'}`,
    };
  }
}
