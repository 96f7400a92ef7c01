/**
 * Coalesces concurrent calls into batches: items added in the same turn of the event loop (and while
 * `maxInFlight` batches are already running) go to `run` together, which answers one result per item,
 * in order. A failed batch fails each of its items.
 */
export function createCoalescer<I, O>(run: (items: I[]) => Promise<O[]>, { maxBatch = 500, maxInFlight = 2 } = {}) {
  let pending: { item: I; resolve: (out: O) => void; reject: (err: unknown) => void }[] = [];
  let inFlight = 0;
  let scheduled = false;

  function pump(): void {
    while (inFlight < maxInFlight && pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      inFlight++;
      run(batch.map((b) => b.item))
        .then(
          (outs) => {
            batch.forEach((b, i) => {
              b.resolve(outs[i] as O);
            });
          },
          (err: unknown) => {
            for (const b of batch) b.reject(err);
          },
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  }

  return {
    add(item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            pump();
          });
        }
      });
    },
  };
}

/** One item's answer from a group commit: its result, or the error that item alone fails with. */
export type Outcome<O> = { ok: true; result: O } | { ok: false; error: unknown };

/**
 * Group commit on top of the coalescer: `run` handles a batch in one transaction and answers each item
 * with an Outcome (a refusal of one item is its Outcome, not a thrown error). When a batch of several
 * fails as a whole (a constraint, a lost connection), each of its items is tried again on its own, in
 * order, so that one bad item cannot fail the others; a batch of one fails as it would alone.
 */
export function createGroupCommit<I, O>(
  run: (items: I[]) => Promise<Outcome<O>[]>,
  options: { maxBatch?: number; maxInFlight?: number } = {},
) {
  async function runOrSplit(items: I[]): Promise<Outcome<O>[]> {
    try {
      return await run(items);
    } catch (err) {
      if (items.length === 1) throw err;
      const outcomes: Outcome<O>[] = [];
      for (const item of items) {
        outcomes.push(
          await run([item]).then(
            ([o]) => o as Outcome<O>,
            (error: unknown) => ({ ok: false as const, error }),
          ),
        );
      }
      return outcomes;
    }
  }
  const coalescer = createCoalescer(runOrSplit, options);
  return async (item: I): Promise<O> => {
    const outcome = await coalescer.add(item);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  };
}
