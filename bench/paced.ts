// An open-loop load generator: requests leave at evenly spaced instants (rate per second), whatever
// the answers do (a stalled server shows up as latency and a growing queue, not as fewer requests: no
// coordinated omission), after a warm-up at the same rate. Latency runs from the moment a request is
// written, so the generator's own timer jitter is not charged to the server. autocannon's
// `overallRate` instead sends each second's quota in a burst at the start of the second, which measures
// the queue the burst builds rather than the server's latency at that rate.
import { appendFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { LoadResult } from './types.js';

export interface PacedOptions {
  url: string;
  /** Requests per second. */
  rate: number;
  durationSec: number;
  method?: string;
  headers?: Record<string, string>;
  /** Per request: extra headers and a body (called in send order). */
  setup?: (i: number) => { headers?: Record<string, string>; body?: string };
  /** Seconds sent at the same rate before measuring (connections opened, code warm); default 2. */
  warmUpSec?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function pacedLoad(options: PacedOptions): Promise<LoadResult> {
  const { rate, durationSec, warmUpSec = 2 } = options;
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const warmUp = Math.round(rate * warmUpSec);
  const total = warmUp + Math.round(rate * durationSec);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  // BENCH_SLOW_LOG=file: appends "slow <epoch ms sent> <ms>" for every measured request slower than 5 ms,
  // to line up with the server's own timeline (GC, stalls) when hunting the tail.
  const slowLog = process.env.BENCH_SLOW_LOG;
  const slow: string[] = [];
  let errors = 0;
  let non2xx = 0;
  const inFlight: Promise<void>[] = [];
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const extra = options.setup?.(i) ?? {};
      const sent = performance.now();
      const req = request(url, { method: options.method ?? 'GET', agent, headers: { ...options.headers, ...extra.headers } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (i >= warmUp) {
            const ms = performance.now() - sent;
            latencies.push(ms);
            if (slowLog && ms > 5) slow.push(`slow ${Math.round(performance.timeOrigin + sent)} ${ms.toFixed(1)}`);
            if ((res.statusCode ?? 0) >= 300) non2xx++;
          }
          resolve();
        });
      });
      req.on('error', () => {
        if (i >= warmUp) errors++;
        resolve();
      });
      req.end(extra.body);
    });
  const start = performance.now();
  let measuredFrom = start;
  for (let i = 0; i < total; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (i === warmUp) measuredFrom = due;
    inFlight.push(send(i));
  }
  await Promise.all(inFlight);
  const elapsedSec = (performance.now() - measuredFrom) / 1000;
  agent.destroy();
  if (slowLog && slow.length > 0) appendFileSync(slowLog, `${slow.join('\n')}\n`);
  const sorted = latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    requestsPerSec: latencies.length / elapsedSec,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    errors,
    non2xx,
    requests: latencies.length,
  };
}
