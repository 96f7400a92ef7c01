import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import { bearerToken, secretMatcher } from '../../platform/secrets.js';
import type { App } from '../../platform/service.js';
import {
  BattlePageQuerySchema,
  BattlePageSchema,
  BattleSchema,
  CreatedPlayerSchema,
  IdParamsSchema,
  LeaderboardQuerySchema,
  LeaderboardSchema,
  NewBattleSchema,
  NewPlayerSchema,
  PlayerIdParamsSchema,
  PlayerWithRankSchema,
  QueuedBattleSchema,
  RankSchema,
} from './schemas.js';
import type { createArenaUseCases, Principal } from './use-cases.js';

type UseCases = ReturnType<typeof createArenaUseCases>;

const security = [{ arenaBearer: [] }];

/** Sends JSON the route's serializer already produced (Fastify sends a JSON-typed string as it is). */
function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export async function registerArenaRoutes(app: App, useCases: UseCases, operatorKey: string): Promise<void> {
  const isOperatorKey = secretMatcher(operatorKey);
  // Leaderboard pages are shared for a moment (see leaderboardPage): each is serialized once, by the
  // route's response schema, and sent as that JSON while it lives.
  const serializedPages = new WeakMap<object, string>();

  app.get(
    '/heartbeat',
    { schema: { tags: ['arena'], summary: 'Liveness (no auth)', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    const principals = new WeakMap<FastifyRequest, Principal>();
    scope.addHook('onRequest', async (request) => {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) {
        throw errors.unauthorized('Send "Authorization: Bearer <ARENA_API_KEY or a player token>".');
      }
      if (isOperatorKey(token)) {
        principals.set(request, { kind: 'operator' });
        return;
      }
      const principal = await useCases.authenticate(token);
      if (!principal) throw errors.unauthorized('The bearer token is neither the operator key nor a player token.');
      principals.set(request, principal);
    });
    const who = (request: FastifyRequest): Principal => {
      const principal = principals.get(request);
      if (!principal) throw errors.unauthorized('Not authenticated.');
      return principal;
    };
    const auth = (summary: string) => ({ tags: ['arena'], summary, security });

    scope.post(
      '/players',
      {
        attachValidation: true,
        schema: {
          ...auth('Create a player (operator); returns its token once'),
          body: NewPlayerSchema,
          response: { 201: CreatedPlayerSchema, ...errorResponses(400, 401, 403, 409) },
        },
      },
      // Validation is attached, not thrown: the use case lists every broken rule, not only the first.
      async (request, reply) => reply.code(201).send(await useCases.createPlayer(who(request), request.body)),
    );

    scope.get(
      '/players/:id',
      {
        schema: {
          ...auth('A player with its leaderboard rank'),
          params: IdParamsSchema,
          response: { 200: PlayerWithRankSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => useCases.getPlayer(who(request), request.params.id),
    );

    scope.get(
      '/players/:id/battles',
      {
        schema: {
          ...auth("A player's battles, newest first"),
          params: IdParamsSchema,
          querystring: BattlePageQuerySchema,
          response: { 200: BattlePageSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => useCases.playerBattles(who(request), request.params.id, request.query.limit, request.query.next),
    );

    scope.post(
      '/battles',
      {
        schema: {
          ...auth('Submit a battle; it is queued and fought in the background'),
          body: NewBattleSchema,
          response: { 202: QueuedBattleSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await useCases.submitBattle(who(request), request.body.attacker_id, request.body.defender_id)),
    );

    scope.get(
      '/battles/:id',
      {
        schema: {
          ...auth('A battle: status, winner, loot and the turn-by-turn report'),
          params: IdParamsSchema,
          response: { 200: BattleSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => useCases.getBattle(who(request), request.params.id),
    );

    scope.get(
      '/leaderboard',
      {
        schema: {
          ...auth('Players by total loot stolen; ties share a rank'),
          querystring: LeaderboardQuerySchema,
          response: { 200: LeaderboardSchema, ...errorResponses(400, 401) },
        },
      },
      async (request, reply) => {
        const page = await useCases.leaderboardPage(request.query.limit, request.query.offset);
        let json = serializedPages.get(page);
        if (json === undefined) {
          json = String(reply.serialize(page));
          serializedPages.set(page, json);
        }
        return sendJson(reply, json);
      },
    );

    scope.get(
      '/leaderboard/:player_id',
      {
        schema: {
          ...auth("A player's rank and score"),
          params: PlayerIdParamsSchema,
          response: { 200: RankSchema, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => useCases.playerRank(request.params.player_id),
    );
  });
}
