import { errors } from '../../../platform/errors.js';
import { isoDay } from '../domain/dates.js';
import type { CreatePokemon, Page, Pokemon, PokemonDetail, PokemonQuery, UpdatePokemon } from '../schemas.js';
import * as store from '../store/index.js';
import { type Deps, generatedId, isoDateOrThrow, offsetOf, page } from './context.js';

const notFound = (id: string) => errors.notFound(`Pokemon "${id}" does not exist.`, 'POKEMON_NOT_FOUND');

export function createPokemonUseCases({ db, clock, cache }: Deps) {
  return {
    async list(query: PokemonQuery): Promise<Page<Pokemon>> {
      if (query.minLevel !== undefined && query.maxLevel !== undefined && query.minLevel > query.maxLevel) {
        throw errors.badRequest(`minLevel (${query.minLevel}) cannot be above maxLevel (${query.maxLevel}).`, 'INVALID_RANGE');
      }
      const { items, total } = await store.listPokemon(db, query, offsetOf(query.page, query.limit));
      return page(items, total, query.page, query.limit);
    },

    async get(id: string): Promise<PokemonDetail> {
      const found = await cache.pokemon(id, () => store.findPokemonDetail(db, id));
      if (!found) throw notFound(id);
      return found;
    },

    async create(input: CreatePokemon): Promise<PokemonDetail> {
      const created: Pokemon = {
        id: input.id ?? generatedId('pokemon'),
        nickname: input.nickname,
        species: input.species,
        level: input.level,
        owner: input.owner,
        dateOfOwnership:
          input.dateOfOwnership === undefined ? isoDay(clock.now()) : isoDateOrThrow(input.dateOfOwnership, 'dateOfOwnership'),
      };
      await db.transaction(async (tx) => {
        if ((await store.lockTrainersKeyShare(tx, [created.owner])).size === 0) {
          throw errors.notFound(`Owner "${created.owner}" is not a known trainer; create the trainer first.`, 'TRAINER_NOT_FOUND');
        }
        if (!(await store.insertPokemon(tx, created))) {
          throw errors.conflict(`Pokemon "${created.id}" already exists; choose another id or omit it.`, 'POKEMON_EXISTS');
        }
      });
      await cache.invalidate({ trainers: [created.owner] });
      return { ...created, history: [{ trainerId: created.owner, from: created.dateOfOwnership, to: null }] };
    },

    async update(id: string, patch: UpdatePokemon): Promise<PokemonDetail> {
      if (patch.owner !== undefined) {
        throw errors.badRequest(
          'The owner of a pokemon cannot be changed with PATCH; use POST /pokemon/trades.',
          'OWNER_CHANGE_NOT_ALLOWED',
        );
      }
      const { nickname, species, level } = patch;
      const changes = {
        ...(nickname !== undefined ? { nickname } : {}),
        ...(species !== undefined ? { species } : {}),
        ...(level !== undefined ? { level } : {}),
      };
      if (Object.keys(changes).length === 0) {
        throw errors.badRequest('Nothing to change: send at least one of nickname, species, level.', 'EMPTY_PATCH');
      }
      const updated = await store.updatePokemon(db, id, changes);
      if (!updated) throw notFound(id);
      await cache.invalidate({ pokemon: [id], trainers: [updated.owner] });
      return { ...updated, history: await store.historyOf(db, id) };
    },

    async remove(id: string): Promise<void> {
      const deleted = await store.deletePokemon(db, id);
      if (!deleted) throw notFound(id);
      await cache.invalidate({ pokemon: [id], trainers: [deleted.owner] });
    },
  };
}
