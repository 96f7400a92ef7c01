import { type Static, Type } from 'typebox';
import { BOBA_STATUSES } from './domain/boba.js';

const Id = (description: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, description });
const Text = (description: string, maxLength = 200) => Type.String({ minLength: 1, maxLength, pattern: '\\S', description });

export const SkillRatingSchema = Type.Object({
  skill: Text('Skill name, e.g. "Python".', 100),
  rating: Type.Integer({ minimum: 1, maximum: 5, description: 'Self-rating, an integer from 1 to 5.' }),
});
export type SkillRatingInput = Static<typeof SkillRatingSchema>;

export const ParticipantSchema = Type.Object(
  {
    name: Type.String(),
    company: Type.String(),
    email: Type.String(),
    phone: Type.String(),
    checked_in: Type.Boolean(),
    bbt_tokens: Type.Integer(),
    skills: Type.Array(Type.Object({ skill: Type.String(), rating: Type.Integer() })),
  },
  { title: 'HackathonParticipant' },
);
export type Participant = Static<typeof ParticipantSchema>;

export const ParticipantMapSchema = Type.Record(Type.String({ pattern: '^[0-9]+$' }), ParticipantSchema, {
  description: 'Participants keyed by id.',
});
export type ParticipantMap = Record<string, Participant>;

const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$', description: 'Unique, case-insensitively.' });

export const RegisterBodySchema = Type.Object({
  name: Text('Full name.'),
  company: Text('Company or school.'),
  email: Email,
  phone: Text('Phone number, any format.', 50),
  skills: Type.Array(SkillRatingSchema, { maxItems: 100, description: 'A skill listed twice keeps the later rating.' }),
});
export type RegisterBody = Static<typeof RegisterBodySchema>;

export const UpdateBodySchema = Type.Object(
  {
    name: Type.Optional(Text('Full name.')),
    company: Type.Optional(Text('Company or school.')),
    email: Type.Optional(Email),
    phone: Type.Optional(Text('Phone number, any format.', 50)),
    skills: Type.Optional(
      Type.Array(SkillRatingSchema, { maxItems: 100, description: 'Adds new skills and updates ratings of listed ones; others are kept.' }),
    ),
  },
  { description: 'Any subset of the fields; unknown fields are ignored.' },
);
export type UpdateBody = Static<typeof UpdateBodySchema>;

export const IdParamsSchema = Type.Object({ id: Type.String({ description: 'Participant id (numeric).' }) });

const BoolText = Type.Union([Type.Literal('true'), Type.Literal('false')]);

export const ListUsersQuerySchema = Type.Object({
  checked_in: Type.Optional(BoolText),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: '1-based page of 50; omit for all.' })),
});

export const SkillsQuerySchema = Type.Object({
  min_frequency: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  max_frequency: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  min_average_rating: Type.Optional(Type.Number({ minimum: 0, maximum: 5 })),
  max_average_rating: Type.Optional(Type.Number({ minimum: 0, maximum: 5 })),
  keyword: Type.Optional(Type.String({ maxLength: 100, description: 'Case-insensitive substring of the skill name.' })),
});
export type SkillsQuery = Static<typeof SkillsQuerySchema>;

export const SkillStatsSchema = Type.Object({ frequency: Type.Integer(), average_rating: Type.Number() });
export const SkillsResponseSchema = Type.Record(Type.String(), SkillStatsSchema, { description: 'Statistics keyed by skill name.' });
export type SkillStats = Static<typeof SkillStatsSchema>;

// --- check-in
export const CheckinQuerySchema = Type.Object({ participant_id: Id('Participant id.') });
export const CheckinBodySchema = Type.Object({ participant_id: Id('Participant id.'), volunteer_id: Id('Volunteer id.') });
export const CheckinSchema = Type.Object({
  participant_id: Type.Integer(),
  checked_in: Type.Boolean(),
  check_in_time: Type.Optional(Type.Integer({ description: 'Unix seconds.' })),
  volunteer_id: Type.Optional(Type.Integer()),
});
export type Checkin = Static<typeof CheckinSchema>;

// --- boba
// A plain string, checked by the use case, so an unknown status gets a message listing the valid ones.
const StatusSchema = Type.String({ maxLength: 50, description: BOBA_STATUSES.join(' | ') });
export const BobaInfoSchema = Type.Object({
  boba_statuses: Type.Array(Type.String()),
  boba_tokens_per_order: Type.Integer(),
  boba_tokens_cooldown: Type.Integer({ description: 'Seconds between two token exchanges of one participant.' }),
});
const Choice = (description: string) => Type.Optional(Text(description, 100));
export const BobaOrderBodySchema = Type.Object({
  participant_id: Id('Who orders (pays the tokens).'),
  size: Choice('Default "Medium".'),
  flavour: Choice('Default "HK Milk Tea".'),
  sweetness: Choice('Default "50% Sweet".'),
  ice: Choice('Default "Regular Ice".'),
  toppings: Choice('Default "None".'),
});
export type BobaOrderBody = Static<typeof BobaOrderBodySchema>;
export const BobaOrderSchema = Type.Object({
  participant_id: Type.Integer(),
  size: Type.String(),
  flavour: Type.String(),
  sweetness: Type.String(),
  ice: Type.String(),
  toppings: Type.String(),
  status: Type.String(),
});
export type BobaOrder = Static<typeof BobaOrderSchema>;
export const BobaOrderMapSchema = Type.Record(Type.String({ pattern: '^[0-9]+$' }), BobaOrderSchema, {
  description: 'Orders keyed by id.',
});
export const BobaListQuerySchema = Type.Object({
  participant_id: Type.Optional(Id('Only this participant’s orders.')),
  status: Type.Optional(StatusSchema),
});
export const BobaUpdateBodySchema = Type.Object({ order_id: Id('Order id.'), status: StatusSchema });

// --- tokens
export const ExchangeBodySchema = Type.Object({ participant_1_id: Id('One participant.'), participant_2_id: Id('The other.') });
export const AdminGiveBodySchema = Type.Object({
  participant_id: Id('Participant id.'),
  tokens: Type.Integer({
    minimum: -1_000_000,
    maximum: 1_000_000,
    description: 'Tokens to add (negative removes; the balance never goes below 0).',
  }),
});

// --- scans
export const ScanBodySchema = Type.Object({
  participant_id: Id('Whose badge was scanned.'),
  activity_name: Text('Event or activity, e.g. "Opening ceremony".'),
  activity_category: Text('e.g. "meal", "workshop"; fixed by the first scan of the activity.', 100),
});
export const ScanSchema = Type.Object({
  participant_id: Type.Integer(),
  activity_name: Type.String(),
  activity_category: Type.String(),
  scanned_at: Type.Integer({ description: 'Unix seconds.' }),
});
export type Scan = Static<typeof ScanSchema>;
export const ScanListSchema = Type.Array(ScanSchema, { description: 'Newest first.' });
export const ScanStatsQuerySchema = Type.Object({
  min_frequency: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  max_frequency: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  activity_category: Type.Optional(Type.String({ maxLength: 100 })),
});
export type ScanStatsQuery = Static<typeof ScanStatsQuerySchema>;
export const ScanStatsSchema = Type.Record(Type.String(), Type.Object({ category: Type.String(), frequency: Type.Integer() }), {
  description: 'Scan counts keyed by activity name.',
});
export type ScanStats = Static<typeof ScanStatsSchema>;

// --- hardware
export const SignoutBodySchema = Type.Object({ participant_id: Id('Borrower.'), item: Text('Item name or serial (case-insensitive).') });
export const ReturnBodySchema = Type.Object({ item: Text('Item name or serial (case-insensitive).') });
export const LoanSchema = Type.Object({
  item: Type.String(),
  participant_id: Type.Integer(),
  signed_out_at: Type.Integer({ description: 'Unix seconds.' }),
  returned_at: Type.Optional(Type.Integer({ description: 'Unix seconds; present once returned.' })),
});
export type Loan = Static<typeof LoanSchema>;
export const LoanListSchema = Type.Array(LoanSchema, { description: 'Items currently out, oldest loan first.' });
