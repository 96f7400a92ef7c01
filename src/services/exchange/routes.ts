import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../../platform/errors.js';
import { contentSecurityPolicy, errorResponses } from '../../platform/http.js';
import { bearerToken, secretMatcher } from '../../platform/secrets.js';
import type { App } from '../../platform/service.js';
import { chartJs } from './dashboard/assets.js';
import { DASHBOARD_INLINE_SCRIPTS, dashboardHtml } from './dashboard/page.js';
import {
  AdvancedSchema,
  AdvanceSchema,
  ClockSchema,
  DashboardSchema,
  HistoryQuery,
  HistorySchema,
  RegisterShopSchema,
  ShopIdParams,
  ShopViewSchema,
} from './schemas.js';
import type { ExchangeUseCases } from './use-cases.js';

export const OPERATOR_HEADER = 'x-exchange-key';
const security: Record<string, string[]>[] = [{ exchangeOperator: [] }, { exchangeBearer: [] }];

export async function registerExchangeRoutes(app: App, useCases: ExchangeUseCases, operatorKey: string): Promise<void> {
  const isOperatorKey = secretMatcher(operatorKey);
  const requireOperator = async (request: FastifyRequest) => {
    const header = request.headers[OPERATOR_HEADER];
    const presented = bearerToken(request.headers.authorization) ?? (typeof header === 'string' ? header : undefined);
    if (!isOperatorKey(presented)) {
      throw errors.unauthorized(
        `This needs the exchange operator key (EXCHANGE_ADMIN_KEY) as "Authorization: Bearer <key>" or "${OPERATOR_HEADER}: <key>".`,
      );
    }
  };
  const tags = ['exchange'];

  const dashboardCsp = contentSecurityPolicy({ inlineScripts: DASHBOARD_INLINE_SCRIPTS });
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', dashboardCsp).send(dashboardHtml()),
  );
  app.get('/assets/chart.umd.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(chartJs()),
  );

  app.get(
    '/dashboard.json',
    { schema: { tags, summary: 'Clock and every shop, as the dashboard shows them', response: { 200: DashboardSchema } } },
    async () => ({
      clock: await useCases.clockStatus(),
      shops: await useCases.list(),
    }),
  );

  app.get('/shops', { schema: { tags, summary: 'List registered shops', response: { 200: Type.Array(ShopViewSchema) } } }, async () =>
    useCases.list(),
  );

  app.post(
    '/shops',
    {
      preHandler: requireOperator,
      schema: {
        tags,
        security,
        summary: 'Register a shop',
        body: RegisterShopSchema,
        response: { 201: ShopViewSchema, ...errorResponses(400, 401, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await useCases.register(request.body)),
  );

  app.get(
    '/shops/:id',
    {
      schema: {
        tags,
        summary: 'One shop: books, reputation, sales, errors',
        params: ShopIdParams,
        response: { 200: ShopViewSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => useCases.show(request.params.id),
  );

  app.delete(
    '/shops/:id',
    {
      preHandler: requireOperator,
      schema: {
        tags,
        security,
        summary: 'Delete a shop and its history',
        params: ShopIdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await useCases.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/shops/:id/reset',
    {
      preHandler: requireOperator,
      schema: {
        tags,
        security,
        summary: 'Burn shop to ground: call its /admin/reset, then reset its books',
        params: ShopIdParams,
        response: { 200: ShopViewSchema, ...errorResponses(400, 401, 404, 409, 502) },
      },
    },
    async (request) => useCases.reset(request.params.id),
  );

  app.get(
    '/shops/:id/history',
    {
      schema: {
        tags,
        summary: 'Per-tick balances and the job log (newest first)',
        params: ShopIdParams,
        querystring: HistoryQuery,
        response: { 200: HistorySchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => useCases.history(request.params.id, request.query.limit, request.query.before),
  );

  app.get('/clock', { schema: { tags, summary: 'Game clock status', response: { 200: ClockSchema } } }, async () => useCases.clockStatus());

  app.post(
    '/clock/advance',
    {
      preHandler: requireOperator,
      schema: {
        tags,
        security,
        summary: 'Run N ticks now (1–84)',
        body: AdvanceSchema,
        response: { 200: AdvancedSchema, ...errorResponses(400, 401, 409) },
      },
    },
    async (request) => useCases.advance(request.body.ticks),
  );
}
