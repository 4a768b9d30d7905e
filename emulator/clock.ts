/**
 * The emulator's notion of "now": wall-clock time plus an offset tests can push forward, so that
 * day-long rules (a FAILED number held for a day, a 180-day cooldown or claim/release window, how long a
 * ClientToken is remembered) can be exercised in milliseconds. Every timestamp the emulator stores or
 * compares comes from here; nothing ever waits on a timer.
 */
export class EmulatorClock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  /** How far the clock runs ahead of wall-clock time. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock forward by `ms` (never backwards: stored deadlines must stay in order). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('The clock can only be advanced by a non-negative number of milliseconds');
    this.offset += ms;
  }

  /** Back to wall-clock time (used by reset, which also forgets every stored timestamp). */
  reset(): void {
    this.offset = 0;
  }
}
