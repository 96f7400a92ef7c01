/** A unit of background work. Delivery is at least once: handlers must be idempotent. */
export interface Job<T = unknown> {
  id: string;
  queue: string;
  payload: T;
  /** 1 on first delivery; higher after a failure or after the worker holding it died. */
  attempt: number;
}

export type JobHandler<T = unknown> = (job: Job<T>) => Promise<void>;

export interface WorkOptions {
  /** Jobs this worker runs at once (default 1). */
  concurrency?: number;
}

export interface JobWorker {
  /**
   * Stops taking jobs and waits for the ones in hand. With `force`, returns at once and abandons them
   * (as if the process died): their leases run out and another worker takes them over.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  failed: number;
}

export interface JobQueue {
  readonly kind: 'postgres' | 'redis';
  /** Adds a job to the end of the queue and returns its id. */
  enqueue<T>(queue: string, payload: T): Promise<string>;
  enqueueMany<T>(queue: string, payloads: T[]): Promise<string[]>;
  work<T>(queue: string, handler: JobHandler<T>, options?: WorkOptions): JobWorker;
  counts(queue: string): Promise<QueueCounts>;
  /** Closes every worker (gracefully) and the queue's connections. */
  close(): Promise<void>;
}

export interface JobQueueOptions {
  /** How long a delivered job is reserved for its worker before another may take it over. */
  leaseMs: number;
  /** Deliveries of a failing job before it is parked as failed. */
  maxAttempts: number;
  /** Idle wait between polls (Postgres backend). */
  pollMs?: number;
  onError?: (err: unknown, job: Job | undefined) => void;
}

export function retryDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** (attempt - 1), 30_000);
}
