import { errorResponses } from '../../../platform/http.js';
import type { App } from '../../../platform/service.js';
import {
  IdParamsSchema,
  ListUsersQuerySchema,
  ParticipantMapSchema,
  RegisterBodySchema,
  SkillsQuerySchema,
  SkillsResponseSchema,
  UpdateBodySchema,
} from '../schemas.js';
import type { HackathonUseCases } from '../use-cases/index.js';

const tags = ['hackathon'];

export function participantRoutes(app: App, uc: HackathonUseCases): void {
  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'All participants keyed by id (ordered by id); optional check-in filter and pages of 50.',
        querystring: ListUsersQuerySchema,
        response: { 200: ParticipantMapSchema, ...errorResponses(400) },
      },
    },
    async (request) => uc.listUsers(request.query),
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'One participant keyed by id; unknown or non-numeric id → 404.',
        params: IdParamsSchema,
        response: { 200: ParticipantMapSchema, ...errorResponses(404) },
      },
    },
    async (request) => uc.getUser(request.params.id),
  );

  app.put(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Partial update; skills are added or re-rated, others kept. All or nothing.',
        params: IdParamsSchema,
        body: UpdateBodySchema,
        response: { 200: ParticipantMapSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => uc.updateUser(request.params.id, request.body),
  );

  app.post(
    '/register',
    {
      schema: {
        tags,
        summary: 'Registers a participant (the input file’s record shape).',
        body: RegisterBodySchema,
        response: { 201: ParticipantMapSchema, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await uc.register(request.body)),
  );

  app.get(
    '/skills',
    {
      schema: {
        tags,
        summary: 'Skill frequency and average rating (2 decimals), with inclusive filters.',
        querystring: SkillsQuerySchema,
        response: { 200: SkillsResponseSchema, ...errorResponses(400) },
      },
    },
    async (request) => uc.skills(request.query),
  );
}
