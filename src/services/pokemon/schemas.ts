import { type Static, type TSchema, Type } from 'typebox';
import { ID_PATTERN, LEVEL_MAX, LEVEL_MIN, NAME_MAX } from './domain/rules.js';

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const IsoDate = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (ISO YYYY-MM-DD)` });
const Name = (description: string) => Type.String({ minLength: 1, maxLength: NAME_MAX, description });
const Level = Type.Integer({ minimum: LEVEL_MIN, maximum: LEVEL_MAX, description: `Level, ${LEVEL_MIN}–${LEVEL_MAX}` });

export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const PageQuerySchema = Type.Object({
  // Bounded so that (page - 1) × limit stays a valid SQL OFFSET.
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1, description: '1-based page number (1–1,000,000)' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Items per page (1–100)' }),
});
export type PageQuery = Static<typeof PageQuerySchema>;

export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    page: Type.Integer(),
    limit: Type.Integer(),
    total: Type.Integer(),
    totalPages: Type.Integer(),
  });
}
export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export const TrainerSchema = Type.Object({
  id: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  dateOfBirth: Type.String({ description: 'ISO YYYY-MM-DD' }),
});
export type Trainer = Static<typeof TrainerSchema>;

export const PokemonSchema = Type.Object({
  id: Type.String(),
  nickname: Type.String(),
  species: Type.String(),
  level: Type.Integer(),
  owner: Type.String({ description: 'Trainer id' }),
  dateOfOwnership: Type.String({ description: 'ISO YYYY-MM-DD' }),
});
export type Pokemon = Static<typeof PokemonSchema>;

export const HistoryEntrySchema = Type.Object({
  trainerId: Type.String(),
  from: Type.String({ description: 'ISO date the trainer became owner' }),
  to: Type.Union([Type.String(), Type.Null()], { description: 'ISO date the trainer stopped owning it; null = current owner' }),
});
export type HistoryEntry = Static<typeof HistoryEntrySchema>;

export const PokemonDetailSchema = Type.Object({ ...PokemonSchema.properties, history: Type.Array(HistoryEntrySchema) });
export type PokemonDetail = Static<typeof PokemonDetailSchema>;

export const TrainerDetailSchema = Type.Object({ ...TrainerSchema.properties, pokemon: Type.Array(PokemonSchema) });
export type TrainerDetail = Static<typeof TrainerDetailSchema>;

export const CreateTrainerSchema = Type.Object({
  id: Type.Optional(Id('Trainer id; generated when omitted')),
  firstName: Name('First name'),
  lastName: Name('Last name'),
  dateOfBirth: IsoDate('Date of birth'),
});
export type CreateTrainer = Static<typeof CreateTrainerSchema>;

export const UpdateTrainerSchema = Type.Object(
  {
    firstName: Type.Optional(Name('First name')),
    lastName: Type.Optional(Name('Last name')),
    dateOfBirth: Type.Optional(IsoDate('Date of birth')),
  },
  { minProperties: 1 },
);
export type UpdateTrainer = Static<typeof UpdateTrainerSchema>;

export const DeleteTrainerQuerySchema = Type.Object({
  cascade: Type.Boolean({ default: false, description: 'Also delete the pokemon the trainer owns' }),
});

export const CreatePokemonSchema = Type.Object({
  id: Type.Optional(Id('Pokemon id; generated when omitted')),
  nickname: Name('Nickname'),
  species: Name('Species'),
  level: Level,
  owner: Id('Owning trainer id'),
  dateOfOwnership: Type.Optional(IsoDate('Since when the owner has it; today when omitted')),
});
export type CreatePokemon = Static<typeof CreatePokemonSchema>;

export const UpdatePokemonSchema = Type.Object({
  nickname: Type.Optional(Name('Nickname')),
  species: Type.Optional(Name('Species')),
  level: Type.Optional(Level),
  // Declared only to refuse it with a pointer to /trades (otherwise it would be silently dropped).
  owner: Type.Optional(Type.Unknown({ description: 'Not allowed: change owners with POST /trades' })),
});
export type UpdatePokemon = Static<typeof UpdatePokemonSchema>;

export const PokemonQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only pokemon of this trainer' })),
  species: Type.Optional(Type.String({ minLength: 1, maxLength: NAME_MAX, description: 'Exact species' })),
  minLevel: Type.Optional(Type.Integer({ minimum: LEVEL_MIN, maximum: LEVEL_MAX })),
  maxLevel: Type.Optional(Type.Integer({ minimum: LEVEL_MIN, maximum: LEVEL_MAX })),
});
export type PokemonQuery = Static<typeof PokemonQuerySchema>;

export const CreateTradeSchema = Type.Object({
  trainerA: Id('Trainer giving pokemonA and receiving pokemonB'),
  trainerB: Id('Trainer giving pokemonB and receiving pokemonA'),
  pokemonA: Type.Array(Id('Pokemon id'), { maxItems: 500, description: 'Pokemon trainerA gives to trainerB' }),
  pokemonB: Type.Array(Id('Pokemon id'), { maxItems: 500, description: 'Pokemon trainerB gives to trainerA' }),
});
export type CreateTrade = Static<typeof CreateTradeSchema>;

export const TradeSchema = Type.Object({
  id: Type.String(),
  trainerA: Type.String(),
  trainerB: Type.String(),
  pokemonA: Type.Array(Type.String()),
  pokemonB: Type.Array(Type.String()),
  date: Type.String({ description: 'ISO day of the trade (the new dateOfOwnership)' }),
  createdAt: Type.String({ description: 'ISO timestamp' }),
});
export type Trade = Static<typeof TradeSchema>;

export const ImportQuerySchema = Type.Object({
  type: Type.Union([Type.Literal('trainers'), Type.Literal('pokemon')], { description: 'What the file holds' }),
  mode: Type.Union([Type.Literal('insert'), Type.Literal('upsert')], {
    default: 'insert',
    description: 'insert: every id must be new; upsert: existing ids are updated',
  }),
});
export type ImportQuery = Static<typeof ImportQuerySchema>;

export const ImportResultSchema = Type.Object({ inserted: Type.Integer(), updated: Type.Integer() });
export type ImportResult = Static<typeof ImportResultSchema>;

export const RowErrorSchema = Type.Object({
  row: Type.Integer({ description: 'Line number in the file; the header is line 1' }),
  column: Type.Optional(Type.String()),
  reason: Type.String(),
});

export const ImportRejectedSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
  errorCount: Type.Optional(Type.Integer({ description: 'How many problems the file has in total (row-level rejections)' })),
  errors: Type.Optional(Type.Array(RowErrorSchema, { description: 'The problems, by row (at most the first 1,000)' })),
});
