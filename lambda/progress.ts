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

/**
 * What a Delete's onEvent decided (release-rule.ts), so that isComplete waits on Connect alone and never reads
 * the stack again: the numbers to release, in order (numbers kept earlier for this resource first, then its
 * own), or the reason to keep a number that Connect does not show yet.
 */
export type DeletePlan = { readonly release: readonly string[] } | { readonly keep: string };

export interface Progress {
  readonly waitFor: WaitFor;
  /** Epoch ms when onEvent started the operation: polls are timed from here (see pollDelayMs). */
  readonly startedAt: number;
  /** Epoch ms after which the operation counts as stuck and fails. */
  readonly deadline: number;
  /** For RELEASED: the Delete's plan. Absent in progress handed over by 0.2.0: isComplete decides once then. */
  readonly delete?: DeletePlan;
}
