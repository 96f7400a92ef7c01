import { type Static, Type } from 'typebox';
import { SKU_PATTERN } from './domain/mix.js';

export const CurrentTimeSchema = Type.Object({
  day: Type.String({ maxLength: 64, description: 'Day name, accepted as sent (spellings vary between simulators).' }),
  hour: Type.Integer({ minimum: 0, maximum: 23 }),
});
export type CurrentTime = Static<typeof CurrentTimeSchema>;

export const CustomerSchema = Type.Object({
  customer_id: Type.Optional(Type.String({ maxLength: 200, description: 'Omitted by older simulators.' })),
  customer_name: Type.String({ maxLength: 200 }),
  character_class: Type.String({ maxLength: 100 }),
  character_species: Type.Optional(Type.String({ maxLength: 100, description: 'Omitted by older simulators.' })),
  level: Type.Integer({ minimum: 1, maximum: 20 }),
});
export type Customer = Static<typeof CustomerSchema>;
export const VisitBodySchema = Type.Array(CustomerSchema, { maxItems: 10_000 });

const MixSchema = Type.Array(Type.Integer({ minimum: 0, maximum: 100 }), {
  minItems: 4,
  maxItems: 4,
  description: '[red, green, blue, dark] ml per 100 ml potion.',
});

export const CatalogItemSchema = Type.Object({
  sku: Type.String({ pattern: SKU_PATTERN }),
  name: Type.String(),
  quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  price: Type.Integer({ minimum: 1, maximum: 500 }),
  potion_type: MixSchema,
});
export const CatalogSchema = Type.Array(CatalogItemSchema, { maxItems: 6 });
export type CatalogItem = Static<typeof CatalogItemSchema>;

export const IntIdParams = (name: string) => Type.Object({ [name]: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) });
export const CartIdParamsSchema = Type.Object({ cart_id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const CartItemParamsSchema = Type.Object({
  cart_id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  item_sku: Type.String({ pattern: SKU_PATTERN }),
});
export const CartCreatedSchema = Type.Object({ cart_id: Type.Integer() });
export const CartItemBodySchema = Type.Object({ quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) });
export const CheckoutBodySchema = Type.Object({ payment: Type.Optional(Type.String({ maxLength: 500 })) });
export const CheckoutResultSchema = Type.Object({ total_potions_bought: Type.Integer(), total_gold_paid: Type.Integer() });
export type CheckoutResult = Static<typeof CheckoutResultSchema>;

export const BottleLineSchema = Type.Object({ potion_type: MixSchema, quantity: Type.Integer({ minimum: 0, maximum: 1_000_000 }) });
export const BottleLinesSchema = Type.Array(BottleLineSchema, { maxItems: 1_000 });

export const BarrelSchema = Type.Object({
  sku: Type.String({ minLength: 1, maxLength: 100 }),
  ml_per_barrel: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  potion_type: Type.Array(Type.Number({ minimum: 0 }), {
    minItems: 4,
    maxItems: 4,
    description: 'Fractions summing to 1.0, or one-hot integers (older simulators).',
  }),
  price: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  quantity: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
});
export const BarrelsSchema = Type.Array(BarrelSchema, { maxItems: 1_000 });
export type Barrel = Static<typeof BarrelSchema>;
export const BarrelPlanSchema = Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) }));

export const CapacitySchema = Type.Object({
  potion_capacity: Type.Integer({ minimum: 0, maximum: 10 }),
  ml_capacity: Type.Integer({ minimum: 0, maximum: 10 }),
});
export const AuditSchema = Type.Object({ number_of_potions: Type.Integer(), ml_in_barrels: Type.Integer(), gold: Type.Integer() });
export type Audit = Static<typeof AuditSchema>;

export const SORT_COLUMNS = ['customer_name', 'item_sku', 'line_item_total', 'timestamp'] as const;
export const SearchQuerySchema = Type.Object({
  customer_name: Type.String({ default: '', maxLength: 200 }),
  potion_sku: Type.String({ default: '', maxLength: 200 }),
  search_page: Type.String({ default: '', maxLength: 500, description: 'Opaque cursor from a previous answer.' }),
  sort_col: Type.Union(
    SORT_COLUMNS.map((c) => Type.Literal(c)),
    { default: 'timestamp' },
  ),
  sort_order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
});
export type SearchQuery = Static<typeof SearchQuerySchema>;
export const SearchResultSchema = Type.Object({
  line_item_id: Type.Integer(),
  item_sku: Type.String(),
  customer_name: Type.String(),
  line_item_total: Type.Integer(),
  timestamp: Type.String({ format: 'date-time' }),
});
export const SearchPageSchema = Type.Object({ previous: Type.String(), next: Type.String(), results: Type.Array(SearchResultSchema) });
export type SearchPage = Static<typeof SearchPageSchema>;

export const RootSchema = Type.Object({ message: Type.String() });
