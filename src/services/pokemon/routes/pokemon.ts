import { Type } from 'typebox';
import { errorResponses } from '../../../platform/http.js';
import type { App } from '../../../platform/service.js';
import {
  CreatePokemonSchema,
  CreateTradeSchema,
  IdParamsSchema,
  PageSchema,
  PokemonDetailSchema,
  PokemonQuerySchema,
  PokemonSchema,
  TradeSchema,
  UpdatePokemonSchema,
} from '../schemas.js';
import type { PokemonUseCases } from '../use-cases/index.js';

export function pokemonRoutes(app: App, { pokemon, trades }: PokemonUseCases): void {
  app.get(
    '/pokemon',
    {
      schema: {
        summary: 'List pokemon (paged, by id); filters owner, species, minLevel, maxLevel',
        querystring: PokemonQuerySchema,
        response: { 200: PageSchema(PokemonSchema), ...errorResponses(400) },
      },
    },
    async (request) => pokemon.list(request.query),
  );
  app.post(
    '/pokemon',
    {
      schema: {
        summary: 'Create a pokemon owned by an existing trainer (id generated when omitted)',
        body: CreatePokemonSchema,
        response: { 201: PokemonDetailSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await pokemon.create(request.body)),
  );
  app.get(
    '/pokemon/:id',
    {
      schema: {
        summary: 'A pokemon with its ownership history (cached)',
        params: IdParamsSchema,
        response: { 200: PokemonDetailSchema, ...errorResponses(404) },
      },
    },
    async (request) => pokemon.get(request.params.id),
  );
  app.patch(
    '/pokemon/:id',
    {
      schema: {
        summary: 'Change nickname, species or level (owners change only through trades)',
        params: IdParamsSchema,
        body: UpdatePokemonSchema,
        response: { 200: PokemonDetailSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => pokemon.update(request.params.id, request.body),
  );
  app.delete(
    '/pokemon/:id',
    {
      schema: {
        summary: 'Delete a pokemon and its history',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await pokemon.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/trades',
    {
      schema: {
        summary: 'Trade atomically: trainerA gives pokemonA to trainerB, trainerB gives pokemonB to trainerA',
        body: CreateTradeSchema,
        response: { 201: TradeSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await trades.create(request.body)),
  );
  app.get(
    '/trades/:id',
    { schema: { summary: 'A trade record', params: IdParamsSchema, response: { 200: TradeSchema, ...errorResponses(404) } } },
    async (request) => trades.get(request.params.id),
  );
}
