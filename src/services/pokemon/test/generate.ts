import { Readable } from 'node:stream';

/** A generated trainers CSV (`<prefix>t0` … ) as a stream. */
export function trainersCsv(prefix: string, count: number): Readable {
  return Readable.from(
    (function* () {
      yield 'id,firstName,lastName,dateOfBirth\n';
      for (let i = 0; i < count; i++) yield `${prefix}t${i},First${i},Last${i},${String((i % 28) + 1).padStart(2, '0')}-05-1990\n`;
    })(),
  );
}

/** A generated pokemon CSV streamed in chunks of rows (never held in memory as a whole). */
export function pokemonCsv(prefix: string, count: number, trainerCount: number, trainerPrefix = prefix): Readable {
  return Readable.from(
    (function* () {
      yield 'id,nickname,species,level,owner,dateOfOwnership\n';
      const species = ['pikachu', 'bulbasaur', 'charmander', 'squirtle', 'eevee', 'onix'];
      let chunk = '';
      for (let i = 0; i < count; i++) {
        chunk += `${prefix}p${i},nick${i},${species[i % species.length]},${(i % 100) + 1},${trainerPrefix}t${i % trainerCount},${String((i % 28) + 1).padStart(2, '0')}-03-2001\n`;
        if (chunk.length > 64 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    })(),
  );
}
