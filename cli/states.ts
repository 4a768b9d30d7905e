/** The four states a number owned by the library can be in (see inventory.ts for how each is decided). */
export const STATES = ['in-use', 'kept', 'retained', 'orphaned'] as const;
export type NumberState = (typeof STATES)[number];

/** States `release` may act on: everything but a number a stack holds. */
export const RELEASABLE_STATES: readonly NumberState[] = ['kept', 'retained', 'orphaned'];

export function isNumberState(value: string): value is NumberState {
  return (STATES as readonly string[]).includes(value);
}
