import type { Options } from 'autocannon';
import type { PacedOptions } from './paced.js';

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  requests: number;
  /**
   * The bare-Fastify baseline's requests/s measured right around this load (half before, half after):
   * the ratio compares the two under the same machine conditions. Set on duration-based loads.
   */
  baselineRequestsPerSec?: number;
}

export interface ScenarioResult {
  /** Throughput scenarios: compared with the baseline's requests/s. */
  load?: LoadResult;
  /** Latency at a fixed rate (ctx.paced); `maxP99Ms` applies to it when present, else to `load`. */
  paced?: LoadResult & { rate: number; baselineP99Ms: number };
  /** Timed scenarios (imports, creation, draws, ticks): wall time of the measured work. */
  wallMs?: number;
  /** Free-form figures worth reporting (rows loaded, ticks per second, …). */
  notes?: Record<string, number | string>;
}

export interface Target {
  /** Minimum ratio of this scenario's requests/s to the baseline's. */
  minRatio?: number;
  maxWallMs?: number;
  maxP99Ms?: number;
}

export interface BenchContext {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** The environment the server was started with (keys, URLs). */
  env: Record<string, string>;
  durationSec: number;
  connections: number;
  /** Closed-loop load with autocannon; a duration-based one (no `amount`) is bracketed by baseline runs. */
  load(
    options: Omit<Options, 'url' | 'duration' | 'connections'> & { url: string; duration?: number; connections?: number },
  ): Promise<LoadResult>;
  /** Open-loop load at `rate` requests/s, evenly spaced, for the run's duration (see paced.ts). */
  paced(
    options: Omit<PacedOptions, 'durationSec'> & { durationSec?: number },
  ): Promise<LoadResult & { rate: number; baselineP99Ms: number }>;
}

export interface Scenario {
  name: string;
  description: string;
  target?: Target;
  /** Extra environment the server needs for this scenario (the server is shared by a run's scenarios). */
  env?: Record<string, string>;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}
