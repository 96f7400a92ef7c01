import { errors } from '../../../platform/errors.js';
import type { CreateTrainer, Page, PageQuery, Trade, Trainer, TrainerDetail, UpdateTrainer } from '../schemas.js';
import * as store from '../store/index.js';
import { type Deps, generatedId, isoDateOrThrow, offsetOf, page } from './context.js';

const notFound = (id: string) => errors.notFound(`Trainer "${id}" does not exist.`, 'TRAINER_NOT_FOUND');

export function createTrainerUseCases({ db, cache }: Deps) {
  return {
    async list(query: PageQuery): Promise<Page<Trainer>> {
      const { items, total } = await store.listTrainers(db, offsetOf(query.page, query.limit), query.limit);
      return page(items, total, query.page, query.limit);
    },

    async get(id: string): Promise<TrainerDetail> {
      const trainer = await cache.trainer(id, () => store.findTrainerDetail(db, id));
      if (!trainer) throw notFound(id);
      return trainer;
    },

    async create(input: CreateTrainer): Promise<TrainerDetail> {
      const trainer: Trainer = {
        id: input.id ?? generatedId('trainer'),
        firstName: input.firstName,
        lastName: input.lastName,
        dateOfBirth: isoDateOrThrow(input.dateOfBirth, 'dateOfBirth'),
      };
      if (!(await store.insertTrainer(db, trainer))) {
        throw errors.conflict(`Trainer "${trainer.id}" already exists; choose another id or omit it.`, 'TRAINER_EXISTS');
      }
      // Nothing to invalidate: a missing trainer is never cached.
      return { ...trainer, pokemon: [] };
    },

    async update(id: string, patch: UpdateTrainer): Promise<TrainerDetail> {
      // Only the known fields: minProperties counts unknown ones too, and an empty SET is not SQL.
      const { firstName, lastName, dateOfBirth } = patch;
      const changes: UpdateTrainer = {
        ...(firstName !== undefined ? { firstName } : {}),
        ...(lastName !== undefined ? { lastName } : {}),
        ...(dateOfBirth !== undefined ? { dateOfBirth: isoDateOrThrow(dateOfBirth, 'dateOfBirth') } : {}),
      };
      if (Object.keys(changes).length === 0) {
        throw errors.badRequest('Nothing to change: send at least one of firstName, lastName, dateOfBirth.', 'EMPTY_PATCH');
      }
      const updated = await store.updateTrainer(db, id, changes);
      if (!updated) throw notFound(id);
      await cache.invalidate({ trainers: [id] });
      return { ...updated, pokemon: await store.pokemonOf(db, id) };
    },

    async remove(id: string, cascade: boolean): Promise<void> {
      const deletedPokemon = await db.transaction(async (tx) => {
        // FOR UPDATE waits for trades and imports holding the trainer and blocks new ones until we finish.
        if (!(await store.lockTrainerForDelete(tx, id))) throw notFound(id);
        let removed: string[] = [];
        if (cascade) {
          removed = await store.deletePokemonOf(tx, id);
        } else {
          const owned = await store.countOwnedPokemon(tx, id);
          if (owned > 0) {
            throw errors.conflict(
              `Trainer "${id}" still owns ${owned} pokemon; trade them away first or delete with ?cascade=true.`,
              'TRAINER_OWNS_POKEMON',
            );
          }
        }
        await store.deleteTrainer(tx, id);
        return removed;
      });
      await cache.invalidate({ trainers: [id], pokemon: deletedPokemon });
    },

    async trades(id: string, query: PageQuery): Promise<Page<Trade>> {
      if (!(await store.findTrainer(db, id))) throw notFound(id);
      const { items, total } = await store.tradesOf(db, id, offsetOf(query.page, query.limit), query.limit);
      return page(items, total, query.page, query.limit);
    },
  };
}
