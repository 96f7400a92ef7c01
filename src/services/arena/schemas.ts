import { type Static, Type } from 'typebox';
import { PLAYER_LIMITS } from './domain/player-rules.js';

const Id = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });
const Timestamp = Type.String({ format: 'date-time' });

export const IdParamsSchema = Type.Object({ id: Id('Player or battle id.') });
export const PlayerIdParamsSchema = Type.Object({ player_id: Id('Player id.') });

export const NewPlayerSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: PLAYER_LIMITS.nameMax, description: 'Unique, case-insensitively.' }),
    description: Type.Optional(Type.String({ maxLength: PLAYER_LIMITS.descriptionMax, default: '' })),
    gold: Type.Optional(Type.Integer({ minimum: 0, maximum: PLAYER_LIMITS.balanceMax, default: 0 })),
    silver: Type.Optional(Type.Integer({ minimum: 0, maximum: PLAYER_LIMITS.balanceMax, default: 0 })),
    attack: Type.Optional(Type.Integer({ minimum: 1, maximum: PLAYER_LIMITS.attackMax, default: 70 })),
    hit_points: Type.Optional(
      Type.Integer({ minimum: 1, maximum: PLAYER_LIMITS.hitPointsMax, default: 100, description: 'Maximum (starting) HP.' }),
    ),
    luck: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, default: 10, description: '% chance a strike against this player misses.' }),
    ),
  },
  { additionalProperties: true },
);

export const PlayerSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    gold: Type.Integer(),
    silver: Type.Integer(),
    attack: Type.Integer(),
    hit_points: Type.Integer(),
    luck: Type.Integer(),
    score: Type.Integer({ description: 'Total gold + silver this player has stolen.' }),
    created_at: Timestamp,
  },
  { $id: 'ArenaPlayer' },
);
export type Player = Static<typeof PlayerSchema>;

export const CreatedPlayerSchema = Type.Intersect([
  PlayerSchema,
  Type.Object({ token: Type.String({ description: 'The player’s bearer token. Shown only once; stored hashed.' }) }),
]);
export const PlayerWithRankSchema = Type.Intersect([PlayerSchema, Type.Object({ rank: Type.Integer({ minimum: 1 }) })]);

export const NewBattleSchema = Type.Object({
  attacker_id: Id('The submitting player (a player token may only submit as itself).'),
  defender_id: Id('The player attacked.'),
});
export const QueuedBattleSchema = Type.Object({ battle_id: Type.Integer(), status: Type.Literal('queued') });

const TurnSchema = Type.Object({
  turn: Type.Integer(),
  striker: Type.Union([Type.Literal('attacker'), Type.Literal('defender')]),
  striker_id: Type.Integer(),
  hit: Type.Boolean(),
  damage: Type.Integer(),
  attacker_hp: Type.Integer(),
  defender_hp: Type.Integer(),
});
const FighterSchema = Type.Object({
  id: Type.Integer(),
  attack: Type.Integer(),
  hitPoints: Type.Integer(),
  luck: Type.Integer(),
  gold: Type.Integer(),
  silver: Type.Integer(),
});
export const ReportSchema = Type.Object({
  seed: Type.String(),
  turn_limit: Type.Integer(),
  attacker: FighterSchema,
  defender: FighterSchema,
  turns: Type.Array(TurnSchema),
  outcome: Type.Union([Type.Literal('attacker_won'), Type.Literal('defender_won'), Type.Literal('draw')]),
  loot_fraction_ppm: Type.Integer(),
});

export const BattleSchema = Type.Object(
  {
    id: Type.Integer(),
    attacker_id: Type.Integer(),
    defender_id: Type.Integer(),
    status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done')]),
    submitted_at: Timestamp,
    finished_at: Type.Union([Timestamp, Type.Null()]),
    winner_id: Type.Union([Type.Integer(), Type.Null()], { description: 'null until done, and on a draw.' }),
    loot: Type.Object({ gold: Type.Integer(), silver: Type.Integer() }),
    report: Type.Union([ReportSchema, Type.Null()], { description: 'Every turn; null until done.' }),
  },
  { $id: 'ArenaBattle' },
);
export type Battle = Static<typeof BattleSchema>;

export const BattlePageQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  next: Type.Optional(Type.String({ maxLength: 100, description: 'Opaque cursor from the previous page.' })),
});
export const BattlePageSchema = Type.Object({
  items: Type.Array(BattleSchema),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Cursor of the next (older) page; null on the last.' }),
});

export const LeaderboardQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0 }),
});
export const LeaderboardEntrySchema = Type.Object({
  rank: Type.Integer({ description: 'Ties share a rank (1, 2, 2, 4).' }),
  player_id: Type.Integer(),
  name: Type.String(),
  score: Type.Integer(),
});
export type LeaderboardEntry = Static<typeof LeaderboardEntrySchema>;
export const LeaderboardSchema = Type.Array(LeaderboardEntrySchema);
export const RankSchema = Type.Object({ player_id: Type.Integer(), rank: Type.Integer(), score: Type.Integer() });
