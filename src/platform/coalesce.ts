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
