import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import type { App } from '../../platform/service.js';
import { clientKey, type ManagerList } from './domain/ip.js';
import {
  CreateRaffleBody,
  ListQuery,
  RaffleIdParams,
  RafflePage,
  RaffleSchema,
  TicketSchema,
  VerifyBody,
  VerifyResult,
  WinnersSchema,
} from './schemas.js';
import { type Caller, type RaffleUseCases, winnersJson } from './use-cases.js';

/**
 * Bodies are checked strictly, before Fastify's validator (which coerces "5" to 5 and 5 to "5"): a
 * body with a wrong type is refused with 400 instead of being silently converted.
 */
function strictBody(schema: TSchema) {
  const compiled = Compile(schema);
  return async (request: FastifyRequest) => {
    if (compiled.Check(request.body)) return;
    const [first] = compiled.Errors(request.body);
    const where = `body${first?.instancePath ?? ''}`;
    const message = first?.keyword === 'pattern' ? 'must not be blank' : (first?.message ?? 'is invalid');
    throw errors.badRequest(`${where} ${message}`, 'FST_ERR_VALIDATION');
  };
}

/** Sends JSON that is already serialised (Fastify sends a string with a JSON content type as it is). */
function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export function registerRaffleRoutes(app: App, useCases: RaffleUseCases, managers: ManagerList): void {
  // The manager check (a BlockList look-up) runs only for the routes that ask for it.
  const caller = (request: FastifyRequest): Caller => {
    const ip = request.ip;
    return {
      client: clientKey(ip),
      get isManager() {
        return managers.isManager(ip);
      },
    };
  };

  app.post(
    '/raffles',
    {
      // Authorisation before validation: a non-manager learns nothing about the body rules.
      onRequest: async (request) => {
        if (!managers.isManager(request.ip)) {
          throw errors.forbidden(
            'Only raffle managers may create raffles; managers are recognised by client IP (RAFFLE_MANAGER_IPS).',
            'NOT_A_MANAGER',
          );
        }
      },
      preValidation: strictBody(CreateRaffleBody),
      schema: {
        summary: 'Create a raffle (managers only)',
        body: CreateRaffleBody,
        response: { 201: RaffleSchema, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await useCases.create(caller(request), request.body)),
  );

  app.get(
    '/raffles',
    {
      schema: {
        summary: 'List raffles, newest first',
        querystring: ListQuery,
        response: { 200: RafflePage, ...errorResponses(400) },
      },
    },
    async (request) => useCases.list(request.query.limit, request.query.cursor),
  );

  app.get(
    '/raffles/:raffle_id',
    { schema: { summary: 'One raffle', params: RaffleIdParams, response: { 200: RaffleSchema, ...errorResponses(400, 404) } } },
    async (request) => useCases.get(request.params.raffle_id),
  );

  app.post(
    '/raffles/:raffle_id/participate',
    {
      schema: {
        summary: 'Claim a ticket (one per client IP)',
        description: 'The verification code is shown only in this response and stored only as a hash.',
        params: RaffleIdParams,
        response: { 201: TicketSchema, ...errorResponses(400, 403, 404, 410) },
      },
    },
    async (request, reply) => reply.code(201).send(await useCases.participate(caller(request), request.params.raffle_id)),
  );

  app.post(
    '/raffles/:raffle_id/winners',
    {
      schema: {
        summary: 'Draw the winners (managers only, once every ticket is claimed)',
        params: RaffleIdParams,
        response: { 201: WinnersSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) => sendJson(reply.code(201), winnersJson(await useCases.draw(caller(request), request.params.raffle_id))),
  );

  app.get(
    '/raffles/:raffle_id/winners',
    {
      schema: {
        summary: 'Winning tickets, by ticket number',
        params: RaffleIdParams,
        response: { 200: WinnersSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => sendJson(reply, winnersJson(await useCases.winners(request.params.raffle_id))),
  );

  app.post(
    '/raffles/:raffle_id/verify-ticket',
    {
      preValidation: strictBody(VerifyBody),
      schema: {
        summary: 'Check whether a ticket won, proving ownership with its code',
        description: 'Rate-limited per client IP and per ticket (429 with Retry-After).',
        params: RaffleIdParams,
        body: VerifyBody,
        response: { 200: VerifyResult, ...errorResponses(400, 403, 404, 409, 429) },
      },
    },
    async (request) => useCases.verify(caller(request), request.params.raffle_id, request.body),
  );
}
