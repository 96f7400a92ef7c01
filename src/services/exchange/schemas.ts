import { type Static, Type } from 'typebox';

const Int = Type.Integer();
const Num = Type.Number();

export const ReputationSchema = Type.Object({ value: Num, quality: Num, reliability: Num, recognition: Num, score: Num });

export const ShopViewSchema = Type.Object(
  {
    id: Int,
    name: Type.String(),
    url: Type.String(),
    gold: Int,
    net_worth: Int,
    potion_capacity: Int,
    ml_capacity: Int,
    stock: Type.Object({
      ml: Type.Record(Type.String(), Int),
      ml_total: Int,
      potions_total: Int,
      potions: Type.Array(Type.Object({ potion_type: Type.Array(Int), quantity: Int })),
    }),
    reputation: Type.Record(Type.String(), ReputationSchema, { description: 'Per customer class: the four factors (0–1) and their mean.' }),
    sales_by_class: Type.Record(Type.String(), Type.Object({ potions: Int, gold: Int })),
    potions_sold: Int,
    series: Type.Array(Type.Object({ tick: Int, gold: Int, net_worth: Int }), {
      description: 'Gold and net worth after each tick since registration or the last reset (latest 336).',
    }),
    errors: Type.Object({ total: Int, by_kind: Type.Record(Type.String(), Int) }),
    latest_errors: Type.Array(Type.Object({ tick: Int, job: Type.String(), error: Type.String(), at: Type.Optional(Type.String()) })),
  },
  { title: 'ExchangeShop' },
);

export const RegisterShopSchema = Type.Object({
  name: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'Unique display name; also keys the shop’s random streams. Defaults to the URL.',
    }),
  ),
  base_url: Type.String({ minLength: 1, maxLength: 2000, description: 'e.g. http://localhost:3000/shop' }),
  api_key: Type.String({
    minLength: 1,
    maxLength: 512,
    description: 'Sent to the shop as access_token; stored encrypted, never returned.',
  }),
});
export type RegisterShop = Static<typeof RegisterShopSchema>;

export const ShopIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const HistoryQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  before: Type.Optional(
    Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Job log cursor: jobs with a smaller id.' }),
  ),
});

export const HistorySchema = Type.Object({
  shop_id: Int,
  epoch_tick: Int,
  series: Type.Array(
    Type.Object({
      tick: Int,
      gold: Int,
      net_worth: Int,
      visitors: Int,
      sales: Type.Record(Type.String(), Type.Object({ potions: Int, gold: Int })),
    }),
  ),
  jobs: Type.Array(
    Type.Object({
      id: Int,
      tick: Int,
      job: Type.String(),
      request: Type.Unknown(),
      ok: Type.Boolean(),
      http_status: Type.Union([Int, Type.Null()]),
      latency_ms: Int,
      error: Type.Union([Type.String(), Type.Null()]),
      kind: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
    }),
  ),
});

export const ClockSchema = Type.Object({
  tick: Int,
  day: Type.String(),
  hour: Int,
  running: Type.Boolean(),
  tick_seconds: Num,
  seed: Int,
  cadence: Type.String(),
  last_tick_at: Type.Union([Type.String(), Type.Null()]),
  last_tick_ms: Type.Union([Int, Type.Null()]),
});

export const AdvanceSchema = Type.Object({ ticks: Type.Integer({ minimum: 1, maximum: 84, default: 1 }) });
export const AdvancedSchema = Type.Object({ ticks_run: Int, tick: Int });

export const DashboardSchema = Type.Object({ clock: ClockSchema, shops: Type.Array(ShopViewSchema) });
