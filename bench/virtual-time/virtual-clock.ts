/**
 * Runs a scenario in virtual time: Date, setTimeout and setInterval are replaced (@sinonjs/fake-timers), and
 * the clock jumps from one due timer to the next once everything that can run at the current instant has
 * run. Nothing else is faked, so the code under test (the handler, the AWS SDK's serialization and signing,
 * the emulator engine, the harness's Provider framework and waiter) runs as it is; it only never waits for
 * real. The scenario must do no real I/O (sockets, files), which would complete outside the virtual clock.
 */
import * as FakeTimers from '@sinonjs/fake-timers';

export interface VirtualRun<T> {
  readonly value: T;
  /** Virtual milliseconds the scenario took. */
  readonly virtualMs: number;
  /** Real milliseconds it took to compute. */
  readonly realMs: number;
}

/** setImmediate is left real: awaiting it lets every promise callback that is ready run first. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runInVirtualTime<T>(scenario: () => Promise<T>): Promise<VirtualRun<T>> {
  const realStart = Date.now();
  const clock = FakeTimers.install({ now: realStart, toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  try {
    const virtualStart = Date.now();
    let outcome: { value: T } | { error: unknown } | undefined;
    scenario().then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    for (;;) {
      await settle();
      await settle();
      if (outcome !== undefined) break;
      if (clock.countTimers() === 0) {
        throw new Error('The scenario waits for something no timer will bring: it would never finish.');
      }
      clock.next();
    }
    const virtualMs = Date.now() - virtualStart;
    clock.uninstall();
    if ('error' in outcome) throw outcome.error;
    return { value: outcome.value, virtualMs, realMs: Date.now() - realStart };
  } finally {
    // uninstall() is idempotent in effect: a second call finds nothing installed.
    try {
      clock.uninstall();
    } catch {
      // already uninstalled
    }
  }
}
