import { accessDeniedMessage, ApiError, invalidParameter, limitExceeded, notFound, serviceQuotaExceeded } from '../errors';
import { budgetQuota } from '../options';
import { ResolvedTarget } from '../state';
import { completionTime, OperationContext, OperationHandler, OperationInput } from './context';
import { hideFor } from './visibility';

/** Message the real service gives for a number that is taken, reserved or cooling down (instance target). */
export const notAvailableMessage = (phoneNumber: string): string => `Phone number not available: ${phoneNumber}`;

/** FAILED status message of a claim or move to a target that holds as many numbers as it may. */
export const CLAIMED_NUMBER_LIMIT_MESSAGE = 'The allowed limit for claimed phone numbers has been exceeded for your instance';

/** The emulator's wording for a claim blocked by the 200% claim/release rule (the real one is not public). */
export const CLAIM_RELEASE_BUDGET_MESSAGE =
  'You have claimed and released more than 200% of your phone number quota in a rolling 180-day period; ' +
  'claiming is blocked until AWS Support lifts the block';

const DEFAULT_CLAIM_FAILURE = 'The phone number could not be claimed';

const TDG_ARN = /:traffic-distribution-group\//;

/**
 * A claim to a traffic distribution group answers the same ResourceNotFoundException whether the group is
 * missing, not ACTIVE, or the number is not available (admin guide, "Why a ClaimPhoneNumber call fails"),
 * so both cases share one message here and a client cannot tell them apart either.
 */
export const tdgClaimNotFoundMessage = (targetArn: string): string =>
  `Target not found: ${targetArn} (a traffic distribution group that does not exist or is not ACTIVE), or the phone number is not available`;

function resolveClaimTarget(ctx: OperationContext, input: OperationInput): ResolvedTarget {
  const toGroup = typeof input.TargetArn === 'string' && TDG_ARN.test(input.TargetArn);
  try {
    return ctx.state.resolveTarget(input, ctx.region);
  } catch (e) {
    if (toGroup && e instanceof ApiError && e.type === 'ResourceNotFoundException') throw notFound(tdgClaimNotFoundMessage(String(input.TargetArn)));
    throw e;
  }
}

/** True when one more claim would take claims plus releases in the window past 200% of the quota. */
export function claimReleaseBudgetSpent(ctx: OperationContext): boolean {
  const quota = budgetQuota(ctx.options);
  if (quota === undefined || ctx.options.claimReleaseBudget === false) return false;
  return ctx.state.claimReleaseCount(ctx.options.claimReleaseBudget.windowMs, ctx.now) + 1 > 2 * quota;
}

function budgetError(ctx: OperationContext): ApiError | undefined {
  switch (ctx.options.variants.budgetExceededError) {
    case 'serviceQuotaExceeded':
      return serviceQuotaExceeded(CLAIM_RELEASE_BUDGET_MESSAGE);
    case 'limitExceeded':
      return limitExceeded(CLAIM_RELEASE_BUDGET_MESSAGE);
    case 'invalidParameter':
      return invalidParameter(CLAIM_RELEASE_BUDGET_MESSAGE);
    case 'accessDenied':
      return accessDeniedMessage(CLAIM_RELEASE_BUDGET_MESSAGE);
    case 'claimFailed':
      return undefined;
  }
}

/** True when `targetArn` already holds as many numbers as claimedNumberLimit allows. */
export function atNumberLimit(ctx: OperationContext, targetArn: string): boolean {
  const limit = ctx.options.claimedNumberLimit;
  return limit !== false && ctx.state.heldBy(targetArn, ctx.now) >= limit;
}

export const claimPhoneNumber: OperationHandler = (ctx, input) => {
  const phoneNumber = String(input.PhoneNumber);
  const target = resolveClaimTarget(ctx, input);
  if (ctx.state.unavailableReason(phoneNumber, ctx.now)) {
    throw target.instanceId === undefined ? notFound(tdgClaimNotFoundMessage(target.targetArn)) : invalidParameter(notAvailableMessage(phoneNumber));
  }
  const blocked = claimReleaseBudgetSpent(ctx);
  const refusal = blocked ? budgetError(ctx) : undefined;
  if (refusal) throw refusal;
  const fault = ctx.faults.take(ctx.operation, ['claimFailed']);
  // Over the limit (or blocked, in the claimFailed variant) the claim is accepted and then ends FAILED.
  const failMessage = fault
    ? (fault.message ?? DEFAULT_CLAIM_FAILURE)
    : blocked
      ? CLAIM_RELEASE_BUDGET_MESSAGE
      : atNumberLimit(ctx, target.targetArn)
        ? CLAIMED_NUMBER_LIMIT_MESSAGE
        : undefined;
  return acceptClaim(ctx, input, phoneNumber, target, failMessage);
};

/**
 * A claim (or import) Connect accepted: the number is IN_PROGRESS on the target, for a while invisible (the
 * visibility variant), and counts towards the 200% rule; it ends CLAIMED, or FAILED with `failMessage`.
 */
export function acceptClaim(
  ctx: OperationContext,
  input: OperationInput,
  phoneNumber: string,
  target: ResolvedTarget,
  failMessage: string | undefined,
  sourcePhoneNumberArn?: string,
): { PhoneNumberId: string; PhoneNumberArn: string } {
  const record = ctx.state.createRecord({
    phoneNumber,
    target,
    region: ctx.region,
    description: input.PhoneNumberDescription as string | undefined,
    tags: input.Tags as Record<string, string> | undefined,
    now: ctx.now,
    completesAt: completionTime(ctx, ctx.options.claimLatencyMs),
    failMessage,
    sourcePhoneNumberArn,
  });
  hideFor(record, ctx.options.variants, ctx.now);
  ctx.state.claimReleaseEvents.push(ctx.now);
  return { PhoneNumberId: record.id, PhoneNumberArn: record.arn };
}
