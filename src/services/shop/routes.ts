import cors from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import type { Platform } from '../../platform/platform.js';
import { secretMatcher } from '../../platform/secrets.js';
import type { App } from '../../platform/service.js';
import type { Mix } from './domain/mix.js';
import {
  AuditSchema,
  BarrelPlanSchema,
  BarrelsSchema,
  BottleLinesSchema,
  CapacitySchema,
  CartCreatedSchema,
  CartIdParamsSchema,
  CartItemBodySchema,
  CartItemParamsSchema,
  CatalogSchema,
  CheckoutBodySchema,
  CheckoutResultSchema,
  CurrentTimeSchema,
  CustomerSchema,
  IntIdParams,
  RootSchema,
  SearchPageSchema,
  SearchQuerySchema,
  VisitBodySchema,
} from './schemas.js';
import type { createBookUseCases } from './use-cases/books.js';
import type { createCartUseCases } from './use-cases/carts.js';

export const SECURITY_SCHEME = 'shopAccessToken';
const secured = [{ [SECURITY_SCHEME]: [] }];
const NoContent = Type.Unknown({ description: 'No content' });

interface UseCases {
  books: ReturnType<typeof createBookUseCases>;
  carts: ReturnType<typeof createCartUseCases>;
}

/** JSON bodies, where an empty body (some simulators send one with a JSON content type) means "none". */
function acceptEmptyJson(app: App): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(errors.badRequest('Body is not valid JSON.', 'FST_ERR_CTP_INVALID_JSON_BODY'), undefined);
    }
  });
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Whether a browser says a write comes from a page of another origin (see the shop README, "Access"). */
function fromAnotherOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site) return site !== 'same-origin' && site !== 'none';
  // No Sec-Fetch-Site (plain-http addresses, older browsers): compare the Origin's host with the one
  // the request was sent to (both through URL, which drops a scheme's default port).
  try {
    return new URL(String(request.headers.origin)).host !== new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return true; // "null" (a sandboxed or file: page) or garbage
  }
}

export async function registerShopRoutes(app: App, platform: Platform, uc: UseCases): Promise<void> {
  acceptEmptyJson(app);
  const origins = platform.config.SHOP_CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // Cross-origin pages may read, never write (the spec's CORS; why a hook, see the README, "Access").
  // A preflight is cross-origin by definition. This hook runs before the CORS plugin's.
  app.addHook('onRequest', async (request) => {
    const preflight = request.method === 'OPTIONS';
    const method = preflight ? request.headers['access-control-request-method'] : request.method;
    if (method && !READ_METHODS.has(method) && request.headers.origin && (preflight || fromAnotherOrigin(request))) {
      throw errors.forbidden('A web page on another site may only read the shop (GET); send writes from a server.', 'CORS_READ_ONLY');
    }
  });
  // Only the headers the shop reads: a page cannot send X-Forwarded-Host to fool the origin check.
  await app.register(cors, {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'OPTIONS'],
    allowedHeaders: ['access_token', 'content-type'],
  });

  // A route is public exactly when its schema declares no security requirement (the docs say the same).
  const keyMatches = secretMatcher(platform.config.SHOP_API_KEY);
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS') return;
    const security = (request.routeOptions.schema as { security?: unknown[] } | undefined)?.security;
    if (!security || security.length === 0) return;
    const presented = request.headers.access_token;
    if (!keyMatches(typeof presented === 'string' ? presented : undefined)) {
      throw errors.unauthorized('Missing or wrong access_token header.', 'BAD_ACCESS_TOKEN');
    }
  });

  const auth = errorResponses(401);
  app.get('/', { schema: { summary: 'Greeting', response: { 200: RootSchema } } }, async () => ({ message: 'The potion shop is open.' }));

  app.post(
    '/info/current_time',
    {
      schema: {
        summary: 'Game time of the coming tick',
        security: secured,
        body: CurrentTimeSchema,
        response: { 204: NoContent, ...auth, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      await uc.books.setCurrentTime(request.body.day, request.body.hour);
      return reply.code(204).send();
    },
  );

  app.get('/catalog', { schema: { summary: 'What is for sale now (no key needed)', response: { 200: CatalogSchema } } }, async () =>
    uc.carts.catalog(),
  );

  app.post(
    '/carts/visits/:visit_id',
    {
      schema: {
        summary: 'Record the customers of a tick',
        security: secured,
        params: IntIdParams('visit_id'),
        body: VisitBodySchema,
        response: { 204: NoContent, ...auth, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      await uc.carts.recordVisit(request.params.visit_id as number, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/carts',
    {
      schema: {
        summary: 'Open a cart',
        security: secured,
        body: CustomerSchema,
        response: { 200: CartCreatedSchema, ...auth, ...errorResponses(400) },
      },
    },
    async (request) => uc.carts.createCart(request.body),
  );

  const setItem = {
    schema: {
      summary: 'Put a quantity of a listed sku in a cart (reserves the stock at the listed price)',
      security: secured,
      params: CartItemParamsSchema,
      body: CartItemBodySchema,
      response: { 204: NoContent, ...auth, ...errorResponses(400, 404, 409) },
    },
  };
  for (const method of ['POST', 'PUT'] as const) {
    app.route({
      method,
      url: '/carts/:cart_id/items/:item_sku',
      ...setItem,
      handler: async (request, reply) => {
        await uc.carts.setItem(request.params.cart_id, request.params.item_sku, request.body.quantity);
        return reply.code(204).send();
      },
    });
  }

  app.post(
    '/carts/:cart_id/checkout',
    {
      // The payment note is optional: a checkout sent without any body is still a checkout.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Pay for a cart (idempotent per cart)',
        security: secured,
        params: CartIdParamsSchema,
        body: CheckoutBodySchema,
        response: { 200: CheckoutResultSchema, ...auth, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => uc.carts.checkout(request.params.cart_id, request.body.payment),
  );

  app.post(
    '/bottler/plan',
    { schema: { summary: 'Which potions to bottle now', security: secured, response: { 200: BottleLinesSchema, ...auth } } },
    async () => (await uc.books.planBottling()).map((l) => ({ potion_type: [...l.potion_type], quantity: l.quantity })),
  );
  app.post(
    '/bottler/deliver/:order_id',
    {
      schema: {
        summary: 'Potions bottled (idempotent per order id)',
        security: secured,
        params: IntIdParams('order_id'),
        body: BottleLinesSchema,
        response: { 204: NoContent, ...auth, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      await uc.books.deliverBottles(
        request.params.order_id as number,
        request.body.map((l) => ({ potion_type: l.potion_type as unknown as Mix, quantity: l.quantity })),
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/barrels/plan',
    {
      schema: {
        summary: 'Which barrels to buy from the wholesale offer',
        security: secured,
        body: BarrelsSchema,
        response: { 200: BarrelPlanSchema, ...auth, ...errorResponses(400) },
      },
    },
    async (request) => uc.books.planBarrels(request.body),
  );
  app.post(
    '/barrels/deliver/:order_id',
    {
      schema: {
        summary: 'Barrels bought (idempotent per order id)',
        security: secured,
        params: IntIdParams('order_id'),
        body: BarrelsSchema,
        response: { 204: NoContent, ...auth, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      await uc.books.deliverBarrels(request.params.order_id as number, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/inventory/plan',
    { schema: { summary: 'Capacity units to buy', security: secured, response: { 200: CapacitySchema, ...auth } } },
    async () => uc.books.planCapacity(),
  );
  app.post(
    '/inventory/deliver/:order_id',
    {
      schema: {
        summary: 'Capacity bought (idempotent per order id)',
        security: secured,
        params: IntIdParams('order_id'),
        body: CapacitySchema,
        response: { 204: NoContent, ...auth, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      await uc.books.deliverCapacity(request.params.order_id as number, request.body);
      return reply.code(204).send();
    },
  );

  for (const url of ['/inventory/audit', '/audit/inventory']) {
    app.get(
      url,
      { schema: { summary: 'Balances, summed from the ledger', security: secured, response: { 200: AuditSchema, ...auth } } },
      async () => uc.books.audit(),
    );
  }

  app.post(
    '/admin/reset',
    {
      schema: {
        summary: 'Back to 100 gold, capacity 1/1, no stock, no open carts (history stays)',
        security: secured,
        response: { 204: NoContent, ...auth },
      },
    },
    async (_request, reply) => {
      await uc.books.reset();
      return reply.code(204).send();
    },
  );

  app.get(
    '/carts/search',
    {
      schema: {
        summary: 'Search sold line items',
        security: secured,
        querystring: SearchQuerySchema,
        response: { 200: SearchPageSchema, ...auth, ...errorResponses(400) },
      },
    },
    async (request) => uc.carts.search(request.query),
  );
}
