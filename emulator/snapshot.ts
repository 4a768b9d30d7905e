import { EmulatorState, PhoneNumberRecord } from './state';

/** Deep copies of every record after settling, so callers can neither see stale status nor mutate state. */
export function snapshotNumbers(state: EmulatorState, now: number = state.clock.now()): PhoneNumberRecord[] {
  state.settle(now);
  return state.records.map((r) => structuredClone(r));
}
