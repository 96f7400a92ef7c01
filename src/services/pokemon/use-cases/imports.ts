import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { type DbOrTx, PG, pgErrorCode } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import { checkHeader, type ImportType, parsePokemonRow, parseTrainerRow, type RowError, rowId } from '../domain/csv-rows.js';
import { decodeUtf8 } from '../imports/decode.js';
import type { ImportResult } from '../schemas.js';
import * as store from '../store/index.js';
import type { StagedRow } from '../store/staging.js';
import type { Deps } from './context.js';

/** At most this many problems are listed in a rejection (the total is always counted). */
export const MAX_LISTED_ERRORS = 1_000;
const BATCH_ROWS = 2_500;

export interface ImportRequest {
  type: ImportType;
  mode: 'insert' | 'upsert';
  /** The raw upload: a request body stream or a multipart file stream. */
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  limitBytes: number;
}

export type ImportOutcome = { ok: true; result: ImportResult } | { ok: false; message: string; errorCount: number; errors: RowError[] };

/** Thrown inside the import transaction to roll it back when the file has problems. */
class Rejected extends Error {
  constructor(readonly outcome: Extract<ImportOutcome, { ok: false }>) {
    super(outcome.message);
  }
}

class ErrorList {
  readonly listed: RowError[] = [];
  count = 0;
  add(list: RowError[]): void {
    this.count += list.length;
    for (const e of list) if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push(e);
  }
}

function csvParseError(err: unknown): RowError | undefined {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('CSV_')) {
    const lines = (err as { lines?: unknown }).lines;
    return { row: typeof lines === 'number' ? lines : 0, reason: `the file is not well-formed CSV: ${err.message}` };
  }
  return undefined;
}

function stagedRow(type: ImportType, record: string[], rn: number, problems: ErrorList): StagedRow {
  if (type === 'trainers') {
    const { value, errors: found } = parseTrainerRow(record, rn);
    problems.add(found);
    return value ? { rn, bad: false, trainer: value } : { rn, bad: true, id: rowId(record) };
  }
  const { value, errors: found } = parsePokemonRow(record, rn);
  problems.add(found);
  return value ? { rn, bad: false, pokemon: value } : { rn, bad: true, id: rowId(record) };
}

export function createImportUseCases({ db, cache }: Deps) {
  /** Streams the file into the staging table, validating each row; returns the per-row problems. */
  async function stream(tx: DbOrTx, request: ImportRequest, problems: ErrorList) {
    const parser = parse({ relax_column_count: true, skip_empty_lines: true, info: true, trim: false });
    // pipeline (not pipe) so a decoding error (encoding, size) destroys the parser and ends the loop below.
    pipeline(Readable.from(decodeUtf8(request.source, { limitBytes: request.limitBytes })), parser, () => {});
    let header = true;
    let rows = 0;
    let batch: StagedRow[] = [];
    let pending: Promise<void> = Promise.resolve();
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (header) {
          header = false;
          const wrong = checkHeader(request.type, record);
          if (wrong) throw errors.badRequest(wrong, 'INVALID_HEADER');
          continue;
        }
        rows++;
        const rn = info.lines;
        batch.push(stagedRow(request.type, record, rn, problems));
        if (batch.length >= BATCH_ROWS) {
          // Parse the next batch while this one is written; at most two batches are held at once.
          await pending;
          pending = store.staging.stageRows(tx, batch);
          // Marked handled here; the failure itself surfaces at the next `await pending`.
          pending.catch(() => undefined);
          batch = [];
        }
      }
    } catch (err) {
      // Settle the batch in flight before the transaction is rolled back.
      await pending.catch(() => undefined);
      const bad = csvParseError(err);
      if (!bad) throw err;
      problems.add([bad]);
      return { header, rows, broken: true };
    } finally {
      parser.destroy();
    }
    await pending;
    await store.staging.stageRows(tx, batch);
    return { header, rows, broken: false };
  }

  return {
    /**
     * Validates the whole file, then writes all of it in the same transaction — or nothing: any problem
     * rolls the transaction (staging included) back and every problem is reported.
     */
    async run(request: ImportRequest): Promise<ImportOutcome> {
      const kinds: store.CacheKind[] = request.type === 'trainers' ? ['trainers'] : ['trainers', 'pokemon'];
      let result: ImportResult;
      try {
        result = await db.transaction(async (tx) => {
          await store.staging.createStaging(tx);
          const problems = new ErrorList();
          const streamed = await stream(tx, request, problems);
          if (streamed.header)
            throw errors.badRequest('The file is empty; send a CSV file with a header line and at least one row.', 'EMPTY_FILE');
          if (streamed.rows === 0 && !streamed.broken) {
            throw errors.badRequest('The file has a header but no rows; nothing to import.', 'EMPTY_FILE');
          }
          if (!streamed.broken) {
            await store.staging.analyzeStaging(tx);
            if (request.type === 'pokemon') await store.staging.lockStagedOwners(tx);
            // Upserts lock the rows they update before the checks, which compare the file with them (dates of
            // ownership); insert mode's checks prove that no id exists, so there is nothing to lock.
            if (request.mode === 'upsert') await store.staging.markExisting(tx, request.type);
            const found = await store.staging.stagingErrors(tx, request.type, request.mode, MAX_LISTED_ERRORS);
            // Each set-based check lists at most MAX_LISTED_ERRORS; the merged list is cut after sorting.
            problems.listed.push(...found.errors);
            problems.count += found.count;
          }
          if (problems.count > 0) {
            const listed = problems.listed.sort((a, b) => a.row - b.row).slice(0, MAX_LISTED_ERRORS);
            throw new Rejected({
              ok: false,
              message: `The file was not imported: ${problems.count} problem${problems.count === 1 ? '' : 's'} found${
                problems.count > listed.length ? ` (the first ${listed.length} are listed)` : ''
              }. Fix them and upload the whole file again; nothing was written.`,
              errorCount: problems.count,
              errors: listed,
            });
          }
          const counts = await store.staging.countStaged(tx);
          if (request.type === 'trainers') await store.staging.writeTrainers(tx, request.mode);
          else await store.staging.writePokemon(tx, request.mode);
          await store.bumpGenerations(tx, kinds);
          return counts;
        });
      } catch (err) {
        if (err instanceof Rejected) return err.outcome;
        if (pgErrorCode(err) === PG.uniqueViolation) {
          // Another request inserted one of these ids after our check: nothing was written; a retry reports it.
          throw errors.conflict(
            'Some ids of the file were created by another request meanwhile; nothing was written, upload again.',
            'IMPORT_RACE',
          );
        }
        throw err;
      }
      await cache.generationsBumped(kinds);
      return { ok: true, result };
    },
  };
}
