import { type Static, Type } from 'typebox';
import { MAX_PRIZE_UNITS, MAX_TICKETS } from './limits.js';

export const RaffleIdParams = Type.Object({
  raffle_id: Type.String({ format: 'uuid', description: 'The raffle id (a UUID).' }),
});

export const PrizeSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Prize name (not blank).' }),
    amount: Type.Integer({ minimum: 1, maximum: MAX_PRIZE_UNITS, description: 'How many tickets win this prize.' }),
  },
  { additionalProperties: false },
);

export const CreateRaffleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Raffle name (not blank).' }),
    total_tickets: Type.Integer({ minimum: 1, maximum: MAX_TICKETS, description: 'Tickets 1..N.' }),
    prizes: Type.Array(PrizeSchema, {
      minItems: 1,
      maxItems: 1000,
      description: 'At least one prize; the amounts may not add up to more than total_tickets.',
    }),
  },
  { additionalProperties: false },
);
export type CreateRaffleBody = Static<typeof CreateRaffleBody>;

export const RaffleSchema = Type.Object(
  {
    raffle_id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    total_tickets: Type.Integer(),
    available_tickets: Type.Integer(),
    winners_drawn: Type.Boolean(),
    prizes: Type.Array(Type.Object({ name: Type.String(), amount: Type.Integer() })),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Raffle', title: 'Raffle' },
);
export type Raffle = Static<typeof RaffleSchema>;

export const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1–100).' }),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'next_cursor of the previous page; omit for the first page.' }),
  ),
});

export const RafflePage = Type.Object({
  items: Type.Array(Type.Ref('Raffle')),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last.' }),
});

export const TicketSchema = Type.Object({
  raffle_id: Type.String({ format: 'uuid' }),
  ticket_number: Type.Integer(),
  verification_code: Type.String({ description: 'Shown once. Keep it: it proves a win.' }),
});
export type Ticket = Static<typeof TicketSchema>;

export const WinnerSchema = Type.Object({ ticket_number: Type.Integer(), prize: Type.String() });
export const WinnersSchema = Type.Array(WinnerSchema);
export type Winner = Static<typeof WinnerSchema>;

export const VerifyBody = Type.Object(
  {
    ticket_number: Type.Integer({ minimum: 1, maximum: MAX_TICKETS }),
    verification_code: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'As shown at claim time (case and hyphens do not matter).',
    }),
  },
  { additionalProperties: false },
);
export type VerifyBody = Static<typeof VerifyBody>;

export const VerifyResult = Type.Object({
  has_won: Type.Boolean(),
  prize: Type.Union([Type.String(), Type.Null()]),
});
export type VerifyResult = Static<typeof VerifyResult>;
