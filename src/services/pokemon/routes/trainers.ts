import { Type } from 'typebox';
import { errorResponses } from '../../../platform/http.js';
import type { App } from '../../../platform/service.js';
import {
  CreateTrainerSchema,
  DeleteTrainerQuerySchema,
  IdParamsSchema,
  PageQuerySchema,
  PageSchema,
  TradeSchema,
  TrainerDetailSchema,
  TrainerSchema,
  UpdateTrainerSchema,
} from '../schemas.js';
import type { PokemonUseCases } from '../use-cases/index.js';

export function trainerRoutes(app: App, { trainers }: PokemonUseCases): void {
  app.get(
    '/trainers',
    {
      schema: {
        summary: 'List trainers (paged, by id)',
        querystring: PageQuerySchema,
        response: { 200: PageSchema(TrainerSchema), ...errorResponses(400) },
      },
    },
    async (request) => trainers.list(request.query),
  );
  app.post(
    '/trainers',
    {
      schema: {
        summary: 'Create a trainer (id generated when omitted)',
        body: CreateTrainerSchema,
        response: { 201: TrainerDetailSchema, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await trainers.create(request.body)),
  );
  app.get(
    '/trainers/:id',
    {
      schema: {
        summary: 'A trainer with the pokemon they own (cached)',
        params: IdParamsSchema,
        response: { 200: TrainerDetailSchema, ...errorResponses(404) },
      },
    },
    async (request) => trainers.get(request.params.id),
  );
  app.patch(
    '/trainers/:id',
    {
      schema: {
        summary: 'Change a trainer’s names or date of birth',
        params: IdParamsSchema,
        body: UpdateTrainerSchema,
        response: { 200: TrainerDetailSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => trainers.update(request.params.id, request.body),
  );
  app.delete(
    '/trainers/:id',
    {
      schema: {
        summary: 'Delete a trainer; 409 while they own pokemon unless ?cascade=true (which deletes those pokemon too)',
        params: IdParamsSchema,
        querystring: DeleteTrainerQuerySchema,
        response: { 204: Type.Null(), ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await trainers.remove(request.params.id, request.query.cascade);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/trainers/:id/trades',
    {
      schema: {
        summary: 'Trades a trainer took part in, newest first (paged)',
        params: IdParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: PageSchema(TradeSchema), ...errorResponses(400, 404) },
      },
    },
    async (request) => trainers.trades(request.params.id, request.query),
  );
}
