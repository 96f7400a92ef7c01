import type { Db } from '../../../platform/db.js';
import { activityStore } from './activity.js';
import { createParticipantStore } from './participants.js';

export type { CheckinRow, LoanRow, OrderRow, ScanRow } from './activity.js';
export type { ExchangeOutcome, ParticipantRow, SkillStatRow } from './participants.js';

export type HackathonStore = ReturnType<typeof createHackathonStore>;

export function createHackathonStore(db: Db) {
  return { ...createParticipantStore(db), ...activityStore };
}
