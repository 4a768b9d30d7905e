import { invalidParameter, notFound, resourceInUse } from '../errors';
import { isFailedClaim } from '../state';
import { completionTime, OperationHandler } from './context';
import { assertNotInProgress } from './in-progress';

export const releasePhoneNumber: OperationHandler = (ctx, input) => {
  const record = ctx.state.getLive(String(input.PhoneNumberId), ctx.now);
  const variants = ctx.options.variants;
  assertNotInProgress(record);
  if (record.contactFlowId !== undefined && variants.releaseInUseWhen === 'operationInProgressOrFlowAssociation') {
    throw resourceInUse(
      `Phone number ${record.id} is associated with contact flow ${record.contactFlowId}; disassociate the contact flow before releasing it`,
      record.arn,
    );
  }
  if (record.status === 'FAILED' && variants.releaseFailedNumber === 'invalidParameter') {
    throw invalidParameter(`Phone number ${record.id} is FAILED and cannot be released; a FAILED claim returns to inventory by itself`);
  }
  if (record.status === 'FAILED' && variants.releaseFailedNumber === 'resourceNotFound') throw notFound(`Phone number not found: ${record.id}`);
  // A FAILED claim never held the number: nothing to cool down, and no release to count against the 200% rule.
  // (A FAILED move did hold it, where it was before the move.)
  const neverHeld = isFailedClaim(record);
  const cooldownUntil = neverHeld ? undefined : ctx.now + ctx.options.cooldownMs;
  if (!neverHeld) ctx.state.claimReleaseEvents.push(ctx.now);
  if (record.contactFlowId !== undefined) {
    // "If the phone number is associated with a flow, that flow will be deactivated until another number is associated with it."
    record.history.push({ at: ctx.now, event: 'contact-flow-deactivated', detail: record.contactFlowId });
    record.contactFlowId = undefined;
  }
  if (variants.releaseMode === 'asynchronous') {
    record.status = 'IN_PROGRESS';
    record.statusMessage = undefined;
    record.pending = { kind: 'release', startedAt: ctx.now, completesAt: completionTime(ctx, ctx.options.releaseLatencyMs), cooldownUntil };
    record.history.push({ at: ctx.now, event: 'release-requested' });
    ctx.state.settle(ctx.now);
    return undefined;
  }
  record.status = 'RELEASED';
  record.releasedAt = ctx.now;
  record.cooldownUntil = cooldownUntil;
  record.history.push({ at: ctx.now, event: 'released' });
  return undefined;
};
