import { hugeString } from './mutations.js';
import type { Rng } from './rng.js';
import { UNICODE_SAMPLES } from './samples.js';

const TRAINER_HEADER = 'id,firstName,lastName,dateOfBirth';
const POKEMON_HEADER = 'id,nickname,species,level,owner,dateOfOwnership';

const day = (rng: Rng) => `${String(rng.int(1, 28)).padStart(2, '0')}-${String(rng.int(1, 12)).padStart(2, '0')}-${rng.int(1950, 2015)}`;

/**
 * A CSV upload for POST /pokemon/imports (the OpenAPI document lists only its media types): a plausible
 * trainers or pokemon file, often with one cell or the framing broken, as a text/csv body or a
 * multipart file.
 */
export function csvUpload(rng: Rng): { payload: string; contentType: string; detail: string } {
  const trainers = rng.chance(0.5);
  const header = rng.chance(0.9) ? (trainers ? TRAINER_HEADER : POKEMON_HEADER) : rng.pick(['id', 'a,b,c', '', 'id,id,id', '\ufeffid,x']);
  const rows: string[][] = [];
  for (let i = rng.int(0, 4); i > 0; i--) {
    const id = `fz${rng.int(0, 60)}`;
    rows.push(
      trainers
        ? [id, 'Fuzz', 'Tester', day(rng)]
        : [
            id,
            'nick',
            rng.pick(['pikachu', 'eevee', 'mew']),
            String(rng.int(1, 100)),
            rng.pick(['trainer1', 'trainer0', `fz${rng.int(0, 60)}`]),
            day(rng),
          ],
    );
  }
  const broken: string[] = [];
  const row = rows.length > 0 ? rng.pick(rows) : undefined;
  if (row && rng.chance(0.6)) {
    const cell = rng.int(0, row.length - 1);
    row[cell] = rng.pick([
      '',
      '-5',
      '0',
      '101',
      '99999999999999999999',
      '31-02-2001',
      '2001-02-03',
      '"unbalanced',
      'a,"b""c"',
      rng.pick(UNICODE_SAMPLES),
      hugeString(rng).slice(0, 20_000),
    ]);
    broken.push(`cell ${cell}`);
  }
  if (row && rng.chance(0.1)) {
    row.push('extra');
    broken.push('extra column');
  }
  if (rows.length > 1 && rng.chance(0.1)) {
    rows.push([...(rows[0] as string[])]);
    broken.push('duplicate row');
  }
  const newline = rng.pick(['\n', '\r\n', '\r']);
  const csv = [header, ...rows.map((r) => r.join(','))].join(newline) + (rng.chance(0.5) ? newline : '');
  const detail = `csv ${trainers ? 'trainers' : 'pokemon'} ${rows.length} rows${broken.length ? ` broken: ${broken.join(', ')}` : ''}`;
  const container = rng.weighted({ csv: 16, multipart: 3, latin1: 1 });
  if (container === 'multipart') {
    const boundary = `----fuzz${rng.int(0, 1e6)}`;
    const asFile = rng.chance(0.8);
    const disposition = asFile ? 'form-data; name="file"; filename="upload.csv"' : 'form-data; name="file"';
    const closing = rng.chance(0.9) ? `--${boundary}--\r\n` : '';
    return {
      payload: `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n${closing}`,
      contentType: `multipart/form-data; boundary=${boundary}`,
      detail: `${detail} (multipart${asFile ? '' : ' field, no file'}${closing ? '' : ', unterminated'})`,
    };
  }
  return { payload: csv, contentType: container === 'latin1' ? 'text/csv; charset=latin1' : 'text/csv', detail };
}
