import { fileURLToPath } from 'node:url';
import type { Platform } from '../../platform/platform.js';
import type { ServiceModule } from '../../platform/service.js';
import { generateParticipants } from './domain/generator.js';
import { loadParticipants, runSeedCommand } from './loader.js';
import { activityRoutes } from './routes/activity.js';
import { participantRoutes } from './routes/participants.js';
import { tokenRoutes } from './routes/tokens.js';
import { createHackathonStore } from './store/index.js';
import { createHackathonUseCases } from './use-cases/index.js';
import { strictBodyValidatorCompiler } from './validation.js';

export const SKILLS_CACHE = 'hackathon:skills';
export const USERS_CACHE = 'hackathon:users';
const DEMO_PARTICIPANTS = 1000;

export function createHackathonDeps(platform: Platform) {
  return {
    store: createHackathonStore(platform.db),
    clock: platform.clock,
    skillsCache: platform.cache(SKILLS_CACHE),
    usersCache: platform.cache(USERS_CACHE),
    tokensPerOrder: platform.config.HACKATHON_TOKENS_PER_ORDER,
    cooldownSeconds: platform.config.HACKATHON_EXCHANGE_COOLDOWN_SECONDS,
    adminToken: platform.config.HACKATHON_ADMIN_TOKEN,
  };
}

export const hackathonService: ServiceModule = {
  name: 'hackathon',
  prefix: '/hackathon',
  description: 'Hackathon participants, skills, check-in, badge scans, hardware and boba tokens.',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  securitySchemes: { hackathonAdmin: { type: 'http', scheme: 'bearer', description: 'HACKATHON_ADMIN_TOKEN' } },
  async register(app, platform) {
    app.setValidatorCompiler(strictBodyValidatorCompiler);
    const uc = createHackathonUseCases(createHackathonDeps(platform));
    participantRoutes(app, uc);
    tokenRoutes(app, uc);
    activityRoutes(app, uc);
  },
  async seed(ctx) {
    const { store, skillsCache } = createHackathonDeps(ctx.platform);
    await runSeedCommand(ctx, store, skillsCache);
  },
  async seedDemo(platform) {
    const { store, skillsCache } = createHackathonDeps(platform);
    if ((await store.countParticipants(platform.db)) > 0) return;
    const report = await loadParticipants(store, skillsCache, generateParticipants({ count: DEMO_PARTICIPANTS }));
    platform.logger.info({ participants: report.loaded, skipped: report.skipped.length }, 'hackathon: loaded generated demo participants');
  },
};
