import { createActivityUseCases } from './activity.js';
import { createParticipantUseCases } from './participants.js';
import type { HackathonDeps } from './shared.js';
import { createTokenUseCases } from './tokens.js';

export type { HackathonDeps } from './shared.js';
export type HackathonUseCases = ReturnType<typeof createHackathonUseCases>;

export function createHackathonUseCases(deps: HackathonDeps) {
  return { ...createParticipantUseCases(deps), ...createTokenUseCases(deps), ...createActivityUseCases(deps) };
}
