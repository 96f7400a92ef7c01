import { errors } from '../../../platform/errors.js';
import { bearerToken, secretMatcher } from '../../../platform/secrets.js';
import { allowedMoves, BOBA_DEFAULTS, BOBA_STATUSES, type BobaStatus, canMove, isBobaStatus, refundsTokens } from '../domain/boba.js';
import { cooldownRemainingMs } from '../domain/cooldown.js';
import type { BobaOrder, BobaOrderBody, ParticipantMap } from '../schemas.js';
import type { OrderRow } from '../store/index.js';
import { createExchangeBatcher } from './exchange-batcher.js';
import { type HackathonDeps, participantsChanged, toParticipantMap } from './shared.js';

export function toOrderMap(rows: readonly OrderRow[]): Record<string, BobaOrder> {
  const map: Record<string, BobaOrder> = {};
  for (const r of rows) {
    map[String(r.id)] = {
      participant_id: r.participant_id,
      size: r.size,
      flavour: r.flavour,
      sweetness: r.sweetness,
      ice: r.ice,
      toppings: r.toppings,
      status: r.status,
    };
  }
  return map;
}

export function createTokenUseCases({ store, clock, usersCache, tokensPerOrder, cooldownSeconds, adminToken }: HackathonDeps) {
  const isAdminToken = secretMatcher(adminToken);
  const exchanges = createExchangeBatcher({
    run: (pairs, now) => store.exchangeBatch(pairs, now, cooldownSeconds),
    afterCommit: (ids) => participantsChanged(usersCache, ...ids),
    clock,
  });

  async function missing(id: number): Promise<never> {
    throw errors.notFound(`No participant with id ${id}.`);
  }

  return {
    bobaInfo() {
      return { boba_statuses: [...BOBA_STATUSES], boba_tokens_per_order: tokensPerOrder, boba_tokens_cooldown: cooldownSeconds };
    },

    /** Pays and places in one statement: the conditional UPDATE makes overspending impossible. */
    async placeOrder(body: BobaOrderBody): Promise<Record<string, BobaOrder>> {
      const order = await store.placeOrder(
        store.db,
        {
          participantId: body.participant_id,
          size: body.size ?? BOBA_DEFAULTS.size,
          flavour: body.flavour ?? BOBA_DEFAULTS.flavour,
          sweetness: body.sweetness ?? BOBA_DEFAULTS.sweetness,
          ice: body.ice ?? BOBA_DEFAULTS.ice,
          toppings: body.toppings ?? BOBA_DEFAULTS.toppings,
          tokensSpent: tokensPerOrder,
        },
        clock.now(),
      );
      if (!order) {
        // Nothing was taken; a fresh read says why.
        const [p] = await store.readParticipants(store.db, { id: body.participant_id });
        if (!p) return missing(body.participant_id);
        throw errors.conflict(
          `Participant ${body.participant_id} has ${p.bbt_tokens} boba tokens; an order costs ${tokensPerOrder}.`,
          'INSUFFICIENT_TOKENS',
        );
      }
      await participantsChanged(usersCache, body.participant_id);
      return toOrderMap([order]);
    },

    async listOrders(query: { participant_id?: number; status?: string }): Promise<Record<string, BobaOrder>> {
      if (query.status !== undefined && !isBobaStatus(query.status)) throw unknownStatus(query.status);
      const rows = await store.listOrders(store.db, {
        ...(query.participant_id !== undefined ? { participantId: query.participant_id } : {}),
        ...(query.status !== undefined ? { status: query.status } : {}),
      });
      return toOrderMap(rows);
    },

    async updateOrder(body: { order_id: number; status: string }): Promise<Record<string, BobaOrder>> {
      const to = body.status;
      if (!isBobaStatus(to)) throw unknownStatus(to);
      const { order, refunded } = await store.transaction(async (tx) => {
        const current = await store.lockOrder(tx, body.order_id);
        if (!current) throw errors.notFound(`No boba order with id ${body.order_id}.`);
        const from = current.status as BobaStatus;
        if (!canMove(from, to)) {
          const allowed = allowedMoves(from);
          throw errors.conflict(
            `Order ${body.order_id} is ${from}; it cannot move to ${to}` +
              (allowed.length > 0 ? ` (next: ${allowed.join(' or ')}).` : ' (it is final).'),
            'INVALID_TRANSITION',
          );
        }
        const updated = await store.setOrderStatus(tx, body.order_id, to);
        if (refundsTokens(to)) await store.addTokens(tx, current.participant_id, current.tokens_spent);
        return { order: updated ?? current, refunded: refundsTokens(to) };
      });
      if (refunded) await participantsChanged(usersCache, order.participant_id);
      return toOrderMap([order]);
    },

    /**
     * Both participants gain a token, unless either exchanged less than a cooldown ago. The check and
     * the credit are one conditional statement under row locks, shared with the exchanges in flight
     * at the same time (see exchange-batcher.ts); a refusal is explained from the same locked rows.
     */
    async exchange(a: number, b: number): Promise<ParticipantMap> {
      if (a === b)
        throw errors.badRequest('A participant cannot exchange tokens with themselves; give two different ids.', 'SELF_EXCHANGE');
      const ids: [number, number] = a < b ? [a, b] : [b, a];
      const cooldownMs = cooldownSeconds * 1000;
      for (let attempt = 1; ; attempt++) {
        const result = await exchanges.exchange(ids);
        if (result.ok) return toParticipantMap(result.credited);
        for (const [k, id] of ids.entries()) if (!result.exists[k]) return missing(id);
        const waits = ids
          .map((id, k) => {
            const last = result.lastExchangeMs[k];
            return { id, ms: cooldownRemainingMs(last === null || last === undefined ? null : new Date(last), result.now, cooldownMs) };
          })
          .filter((w) => w.ms > 0);
        // No wait left (the refusal was a rounding hair from the end of the cooldown): try again.
        if (waits.length === 0 && attempt < 3) continue;
        const longest = Math.max(0, ...waits.map((w) => w.ms));
        const who =
          waits.map((w) => `participant ${w.id} must wait ${(w.ms / 1000).toFixed(1)} s`).join(' and ') || 'a participant is cooling down';
        throw errors.tooManyRequests(
          `Token exchange cooldown is ${cooldownSeconds} s: ${who}; retry in ${(longest / 1000).toFixed(1)} s.`,
          longest / 1000,
          'EXCHANGE_COOLDOWN',
        );
      }
    },

    /** Constant-time check of the admin bearer token. */
    assertAdmin(authorization: string | undefined): void {
      if (!isAdminToken(bearerToken(authorization))) {
        throw errors.unauthorized('Admin only: send "Authorization: Bearer <HACKATHON_ADMIN_TOKEN>".');
      }
    },

    async adminGive(body: { participant_id: number; tokens: number }): Promise<ParticipantMap> {
      await store.transaction(async (tx) => {
        const balance = await store.addTokens(tx, body.participant_id, body.tokens);
        if (balance !== undefined) return;
        const [p] = await store.readParticipants(tx, { id: body.participant_id });
        if (!p) return missing(body.participant_id);
        throw errors.conflict(
          `Participant ${body.participant_id} has ${p.bbt_tokens} tokens; removing ${-body.tokens} would go below 0. Remove at most ${p.bbt_tokens}.`,
          'INSUFFICIENT_TOKENS',
        );
      });
      await participantsChanged(usersCache, body.participant_id);
      return toParticipantMap(await store.readParticipants(store.db, { id: body.participant_id }));
    },
  };
}

function unknownStatus(status: string) {
  return errors.badRequest(`Unknown boba status "${status}"; use one of: ${BOBA_STATUSES.join(', ')}.`, 'UNKNOWN_STATUS');
}
