/**
 * Typed errors the handler throws. Each one fails the CloudFormation event with its message, so every
 * message says what happened, to which number, and what the user can do about it.
 */

/** Base class: lets callers and tests tell the handler's own, explained failures from unexpected ones. */
export class ClaimedPhoneNumberError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The resource properties break the rules; raised before any Connect call. */
export class InvalidPropertiesError extends ClaimedPhoneNumberError {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid Custom::ClaimedPhoneNumber properties: ${problems.join(' ')}`);
  }
}

/** Connect says the number cannot be claimed, and it is not claimed anywhere in this account. */
export class NumberNotAvailableError extends ClaimedPhoneNumberError {}

/** The number is claimed in this account, but not by this resource: it is never taken over or released. */
export class NumberNotOwnedError extends ClaimedPhoneNumberError {}

/** Connect refuses to claim for the account's quotas (the 200% claim/release rule). */
export class ClaimRefusedError extends ClaimedPhoneNumberError {}

/** The same number is declared by two resources (of this stack, through tokens, or of two stacks). */
export class NumberDeclaredTwiceError extends ClaimedPhoneNumberError {}

/** Connect ended an asynchronous operation (claim or move) with status FAILED. */
export class OperationFailedError extends ClaimedPhoneNumberError {}

/** An operation stayed IN_PROGRESS past the handler's deadline. */
export class OperationTimeoutError extends ClaimedPhoneNumberError {}

/** Connect refuses to release the number for a reason that waiting will not fix. */
export class ReleaseBlockedError extends ClaimedPhoneNumberError {}
