import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOBA_STATUSES, canMove, isBobaStatus, refundsTokens } from './boba.js';

describe('boba order lifecycle', () => {
  it('moves forward one step at a time to Delivered', () => {
    expect(canMove('Placed', 'In Progress')).toBe(true);
    expect(canMove('In Progress', 'Out for Delivery')).toBe(true);
    expect(canMove('Out for Delivery', 'Delivered')).toBe(true);
    expect(canMove('Placed', 'Out for Delivery')).toBe(false);
    expect(canMove('Placed', 'Delivered')).toBe(false);
  });

  it('cancels only from Placed or In Progress', () => {
    expect(canMove('Placed', 'Cancelled')).toBe(true);
    expect(canMove('In Progress', 'Cancelled')).toBe(true);
    expect(canMove('Out for Delivery', 'Cancelled')).toBe(false);
    expect(canMove('Delivered', 'Cancelled')).toBe(false);
  });

  it('never leaves a final state, never stays in place and never goes back', () => {
    const status = fc.constantFrom(...BOBA_STATUSES);
    fc.assert(
      fc.property(status, status, (from, to) => {
        if (from === 'Delivered' || from === 'Cancelled' || from === to) expect(canMove(from, to)).toBe(false);
        if (canMove(from, to) && to !== 'Cancelled') {
          expect(BOBA_STATUSES.indexOf(to)).toBe(BOBA_STATUSES.indexOf(from) + 1);
        }
      }),
    );
  });

  it('refunds tokens only on cancellation', () => {
    expect(BOBA_STATUSES.filter(refundsTokens)).toEqual(['Cancelled']);
  });

  it('recognises exactly the five statuses, case-sensitively', () => {
    expect(isBobaStatus('Placed')).toBe(true);
    expect(isBobaStatus('placed')).toBe(false);
    expect(isBobaStatus('Lost')).toBe(false);
  });
});
