import { randomUUID } from 'node:crypto';

/**
 * Write marks let read-your-writes polling tell a fresh write from the record it replaced. A
 * mark orders by time (milliseconds, then a per-process sequence), so a poll also ends when a
 * newer concurrent write to the same id has superseded ours, instead of waiting for a mark
 * that will never come back.
 */
const ORDER_LENGTH = 24;
const processNonce = randomUUID().slice(0, 8);
let sequence = 0;

export function nextWriteMark(): string {
  sequence = (sequence + 1) % 1_000_000_000;
  return `${String(Date.now()).padStart(15, '0')}${String(sequence).padStart(9, '0')}-${processNonce}`;
}

/** Whether a stored mark shows our write or one that came after it. */
export function showsWrite(stored: unknown, mine: string): boolean {
  if (typeof stored !== 'string') return false;
  if (stored === mine) return true;
  return stored.slice(0, ORDER_LENGTH) > mine.slice(0, ORDER_LENGTH);
}
