import { errors } from '../../../platform/errors.js';
import type { Checkin, Loan, Scan, ScanStats, ScanStatsQuery } from '../schemas.js';
import type { LoanRow } from '../store/index.js';
import { type HackathonDeps, parseId, participantsChanged } from './shared.js';

function toLoan(r: LoanRow): Loan {
  return {
    item: r.item,
    participant_id: r.participant_id,
    signed_out_at: r.signed_out_at,
    ...(r.returned_at !== null ? { returned_at: r.returned_at } : {}),
  };
}

export function createActivityUseCases({ store, clock, usersCache }: HackathonDeps) {
  async function requireParticipant(id: number): Promise<void> {
    if (!(await store.participantExists(store.db, id))) throw errors.notFound(`No participant with id ${id}.`);
  }

  return {
    async getCheckin(participantId: number): Promise<Checkin> {
      await requireParticipant(participantId);
      const row = await store.getCheckin(store.db, participantId);
      return row
        ? { participant_id: participantId, checked_in: true, check_in_time: row.check_in_time, volunteer_id: row.volunteer_id }
        : { participant_id: participantId, checked_in: false };
    },

    /** The primary key on participant_id lets exactly one of any number of concurrent check-ins win. */
    async checkIn(body: { participant_id: number; volunteer_id: number }): Promise<Checkin> {
      await requireParticipant(body.participant_id);
      const row = await store.insertCheckin(store.db, body.participant_id, body.volunteer_id, clock.now());
      if (!row) {
        const existing = await store.getCheckin(store.db, body.participant_id);
        throw errors.conflict(
          `Participant ${body.participant_id} is already checked in` +
            (existing ? ` (by volunteer ${existing.volunteer_id} at ${new Date(existing.check_in_time * 1000).toISOString()}).` : '.'),
          'ALREADY_CHECKED_IN',
        );
      }
      await participantsChanged(usersCache, body.participant_id);
      return { participant_id: body.participant_id, checked_in: true, check_in_time: row.check_in_time, volunteer_id: row.volunteer_id };
    },

    async scan(body: { participant_id: number; activity_name: string; activity_category: string }): Promise<Scan> {
      await requireParticipant(body.participant_id);
      const name = body.activity_name.trim();
      const category = body.activity_category.trim();
      const scannedAt = await store.transaction(async (tx) => {
        const activity = await store.activity(tx, name, category);
        if (activity.category.toLowerCase() !== category.toLowerCase()) {
          throw errors.conflict(
            `Activity "${name}" is in category "${activity.category}", not "${category}"; send its category or use another name.`,
            'CATEGORY_MISMATCH',
          );
        }
        return store.insertScan(tx, body.participant_id, activity.id, clock.now());
      });
      return { participant_id: body.participant_id, activity_name: name, activity_category: category, scanned_at: scannedAt };
    },

    async userScans(rawId: string): Promise<Scan[]> {
      const id = parseId(rawId);
      if (id === undefined) throw errors.notFound(`No participant with id "${rawId}"; ids are positive integers.`);
      await requireParticipant(id);
      return store.listScans(store.db, id);
    },

    async scanStats(query: ScanStatsQuery): Promise<ScanStats> {
      const rows = await store.scanStats(store.db, {
        ...(query.min_frequency !== undefined ? { minFrequency: query.min_frequency } : {}),
        ...(query.max_frequency !== undefined ? { maxFrequency: query.max_frequency } : {}),
        ...(query.activity_category !== undefined ? { category: query.activity_category.trim() } : {}),
      });
      const stats: ScanStats = {};
      for (const r of rows) stats[r.name] = { category: r.category, frequency: r.frequency };
      return stats;
    },

    /** The partial unique index (one open loan per item) decides between concurrent sign-outs. */
    async signOut(body: { participant_id: number; item: string }): Promise<Loan> {
      await requireParticipant(body.participant_id);
      const item = body.item.trim();
      const row = await store.insertLoan(store.db, body.participant_id, item, clock.now());
      if (!row) {
        const out = (await store.listLoansOut(store.db)).find((l) => l.item.toLowerCase() === item.toLowerCase());
        throw errors.conflict(
          `Item "${item}" is already signed out${out ? ` to participant ${out.participant_id}; return it first.` : '; return it first.'}`,
          'ITEM_OUT',
        );
      }
      return toLoan(row);
    },

    async returnItem(body: { item: string }): Promise<Loan> {
      const item = body.item.trim();
      const row = await store.returnLoan(store.db, item, clock.now());
      if (!row) throw errors.conflict(`Item "${item}" is not signed out, so it cannot be returned.`, 'ITEM_NOT_OUT');
      return toLoan(row);
    },

    async loansOut(): Promise<Loan[]> {
      return (await store.listLoansOut(store.db)).map(toLoan);
    },
  };
}
