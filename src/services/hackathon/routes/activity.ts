import { errorResponses } from '../../../platform/http.js';
import type { App } from '../../../platform/service.js';
import {
  CheckinBodySchema,
  CheckinQuerySchema,
  CheckinSchema,
  IdParamsSchema,
  LoanListSchema,
  LoanSchema,
  ReturnBodySchema,
  ScanBodySchema,
  ScanListSchema,
  ScanSchema,
  ScanStatsQuerySchema,
  ScanStatsSchema,
  SignoutBodySchema,
} from '../schemas.js';
import type { HackathonUseCases } from '../use-cases/index.js';

const tags = ['hackathon'];

export function activityRoutes(app: App, uc: HackathonUseCases): void {
  app.get(
    '/checkin',
    {
      schema: {
        tags,
        summary: 'Check-in state of a participant (time and volunteer once checked in).',
        querystring: CheckinQuerySchema,
        response: { 200: CheckinSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => uc.getCheckin(request.query.participant_id),
  );

  app.post(
    '/checkin',
    {
      schema: {
        tags,
        summary: 'Checks a participant in; a second check-in → 409.',
        body: CheckinBodySchema,
        response: { 201: CheckinSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await uc.checkIn(request.body)),
  );

  app.post(
    '/scans',
    {
      schema: {
        tags,
        summary: 'Records a badge scan at an activity.',
        body: ScanBodySchema,
        response: { 201: ScanSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await uc.scan(request.body)),
  );

  app.get(
    '/users/:id/scans',
    {
      schema: {
        tags,
        summary: 'A participant’s scans, newest first.',
        params: IdParamsSchema,
        response: { 200: ScanListSchema, ...errorResponses(404) },
      },
    },
    async (request) => uc.userScans(request.params.id),
  );

  app.get(
    '/scans',
    {
      schema: {
        tags,
        summary: 'Scan counts per activity, with inclusive frequency filters and a category filter.',
        querystring: ScanStatsQuerySchema,
        response: { 200: ScanStatsSchema, ...errorResponses(400) },
      },
    },
    async (request) => uc.scanStats(request.query),
  );

  app.post(
    '/hardware/signout',
    {
      schema: {
        tags,
        summary: 'Lends an item to a participant; an item already out → 409.',
        body: SignoutBodySchema,
        response: { 201: LoanSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await uc.signOut(request.body)),
  );

  app.post(
    '/hardware/return',
    {
      schema: {
        tags,
        summary: 'Takes an item back; an item that is not out → 409.',
        body: ReturnBodySchema,
        response: { 200: LoanSchema, ...errorResponses(400, 409) },
      },
    },
    async (request) => uc.returnItem(request.body),
  );

  app.get(
    '/hardware',
    { schema: { tags, summary: 'Items currently out: to whom and since when.', response: { 200: LoanListSchema } } },
    async () => uc.loansOut(),
  );
}
