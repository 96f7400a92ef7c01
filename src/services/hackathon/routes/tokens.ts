import { Type } from 'typebox';
import { errorResponses } from '../../../platform/http.js';
import type { App } from '../../../platform/service.js';
import {
  AdminGiveBodySchema,
  BobaInfoSchema,
  BobaListQuerySchema,
  BobaOrderBodySchema,
  BobaOrderMapSchema,
  BobaUpdateBodySchema,
  ExchangeBodySchema,
  ParticipantMapSchema,
} from '../schemas.js';
import type { HackathonUseCases } from '../use-cases/index.js';

const tags = ['hackathon'];

export function tokenRoutes(app: App, uc: HackathonUseCases): void {
  app.get(
    '/boba_info',
    {
      schema: {
        tags,
        summary: 'Order statuses, the price of an order in tokens and the exchange cooldown.',
        response: { 200: BobaInfoSchema },
      },
    },
    async () => uc.bobaInfo(),
  );

  app.post(
    '/boba',
    {
      schema: {
        tags,
        summary: 'Places an order, paying boba_tokens_per_order tokens; too few tokens → 409.',
        body: BobaOrderBodySchema,
        response: { 201: BobaOrderMapSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await uc.placeOrder(request.body)),
  );

  app.get(
    '/boba',
    {
      schema: {
        tags,
        summary: 'Orders keyed by id, optionally one participant’s or one status’s.',
        querystring: BobaListQuerySchema,
        response: { 200: BobaOrderMapSchema, ...errorResponses(400) },
      },
    },
    async (request) => uc.listOrders(request.query),
  );

  app.put(
    '/boba',
    {
      schema: {
        tags,
        summary: 'Moves an order along Placed → In Progress → Out for Delivery → Delivered, or cancels it (refund).',
        body: BobaUpdateBodySchema,
        response: { 200: BobaOrderMapSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => uc.updateOrder(request.body),
  );

  app.put(
    '/bbt_token_exchange',
    {
      schema: {
        tags,
        summary: 'Both participants gain one token; each may exchange once per cooldown (429 with Retry-After).',
        body: ExchangeBodySchema,
        response: { 200: ParticipantMapSchema, ...errorResponses(400, 404, 429) },
      },
    },
    async (request) => uc.exchange(request.body.participant_1_id, request.body.participant_2_id),
  );

  app.put(
    '/bbt_token_admin_give',
    {
      // Authenticate before validating, so an anonymous caller learns nothing about the body rules.
      onRequest: async (request) => uc.assertAdmin(request.headers.authorization),
      schema: {
        tags,
        summary: 'Admin: adds (or, negative, removes) tokens; the balance never goes below 0.',
        security: [{ hackathonAdmin: [] }],
        headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
        body: AdminGiveBodySchema,
        response: { 200: ParticipantMapSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => uc.adminGive(request.body),
  );
}
