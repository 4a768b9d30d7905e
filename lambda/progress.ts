/**
 * What onEvent hands to isComplete. The Provider framework passes every top-level key of onEvent's answer
 * on to isComplete, but only PhysicalResourceId, Data and NoEcho to CloudFormation, so this key travels
 * with the event without ever showing up as a resource attribute.
 */
export const PROGRESS_KEY = 'ClaimedPhoneNumberProgress';

export type WaitFor =
  /** Nothing is in flight: isComplete answers at once, without a Connect call. */
  | 'NOTHING'
  /** Wait until Connect reports the number CLAIMED where and as declared (claim, move, description). */
  | 'CONVERGED'
  /** Wait until the number can be released, and release it. */
  | 'RELEASED';

export interface Progress {
  readonly waitFor: WaitFor;
  /** Epoch ms when onEvent started the operation: polls are timed from here (see pollDelayMs). */
  readonly startedAt: number;
  /** Epoch ms after which the operation counts as stuck and fails. */
  readonly deadline: number;
}
