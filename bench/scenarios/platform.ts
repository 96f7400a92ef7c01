import type { Scenario } from '../types.js';

export const platformScenarios: Scenario[] = [
  {
    name: 'platform.health',
    description: 'GET /health through the full app (request ids, error handler, docs registered)',
    target: { minRatio: 0.5 },
    run: async (ctx) => ({ load: await ctx.load({ url: `${ctx.baseUrl}/health` }) }),
  },
];
