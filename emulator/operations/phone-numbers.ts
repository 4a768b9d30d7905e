import { invalidParameter, resourceInUse } from '../errors';
import { PhoneNumberRecord } from '../state';
import { OperationContext, OperationHandler, OperationInput } from './context';

/** Message the real service gives for a number that is taken, reserved or cooling down. */
export const notAvailableMessage = (phoneNumber: string): string => `Phone number not available: ${phoneNumber}`;

const DEFAULT_CLAIM_FAILURE = 'The phone number could not be claimed';

/** When work started now completes: never under a claimStuck fault, else after the latency. */
function completionTime(ctx: OperationContext, latencyMs: number): number | null {
  return ctx.faults.take(ctx.operation, ['claimStuck']) ? null : ctx.now + latencyMs;
}

export const claimPhoneNumber: OperationHandler = (ctx, input) => {
  const phoneNumber = String(input.PhoneNumber);
  const target = ctx.state.resolveTarget(input, ctx.region);
  if (ctx.state.unavailableReason(phoneNumber, ctx.now)) throw invalidParameter(notAvailableMessage(phoneNumber));
  const failed = ctx.faults.take(ctx.operation, ['claimFailed']);
  const record = ctx.state.createRecord({
    phoneNumber,
    target,
    region: ctx.region,
    description: input.PhoneNumberDescription as string | undefined,
    tags: input.Tags as Record<string, string> | undefined,
    now: ctx.now,
    completesAt: completionTime(ctx, ctx.options.claimLatencyMs),
    failMessage: failed ? (failed.message ?? DEFAULT_CLAIM_FAILURE) : undefined,
  });
  return { PhoneNumberId: record.id, PhoneNumberArn: record.arn };
};

/** The ClaimedPhoneNumberSummary shape for a record. */
export function claimedSummary(r: PhoneNumberRecord): Record<string, unknown> {
  const status: Record<string, string> = { Status: r.status };
  if (r.statusMessage !== undefined) status.Message = r.statusMessage;
  return {
    PhoneNumberId: r.id,
    PhoneNumberArn: r.arn,
    PhoneNumber: r.phoneNumber,
    PhoneNumberCountryCode: r.countryCode,
    PhoneNumberType: r.type,
    ...(r.description !== undefined ? { PhoneNumberDescription: r.description } : {}),
    TargetArn: r.targetArn,
    ...(r.instanceId !== undefined ? { InstanceId: r.instanceId } : {}),
    Tags: { ...r.tags },
    PhoneNumberStatus: status,
  };
}

export const describePhoneNumber: OperationHandler = (ctx, input) => ({
  ClaimedPhoneNumberSummary: claimedSummary(ctx.state.getLive(String(input.PhoneNumberId), ctx.now)),
});

/** ResourceInUse when Claim/Update/UpdateMetadata work is still running on the number. */
function assertNotInProgress(record: PhoneNumberRecord): void {
  if (record.status === 'IN_PROGRESS') {
    throw resourceInUse(
      `Phone number ${record.id} has an operation in progress (${record.pending?.kind ?? 'unknown'}); retry after it completes`,
      record.arn,
    );
  }
}

export const releasePhoneNumber: OperationHandler = (ctx, input) => {
  const record = ctx.state.getLive(String(input.PhoneNumberId), ctx.now);
  assertNotInProgress(record);
  if (record.contactFlowId !== undefined) {
    throw resourceInUse(
      `Phone number ${record.id} is associated with contact flow ${record.contactFlowId}; disassociate the contact flow before releasing it`,
      record.arn,
    );
  }
  // A FAILED claim never held the number, so there is nothing to cool down.
  const wasFailed = record.status === 'FAILED';
  record.status = 'RELEASED';
  record.releasedAt = ctx.now;
  record.cooldownUntil = wasFailed ? undefined : ctx.now + ctx.options.cooldownMs;
  record.history.push({ at: ctx.now, event: 'released' });
  return undefined;
};

/** Update and UpdateMetadata act only on numbers that hold a claim. */
function getClaimed(ctx: OperationContext, input: OperationInput): PhoneNumberRecord {
  const record = ctx.state.getLive(String(input.PhoneNumberId), ctx.now);
  assertNotInProgress(record);
  if (record.status === 'FAILED') {
    throw invalidParameter(`Phone number ${record.id} is not claimed (its claim FAILED)`);
  }
  return record;
}

export const updatePhoneNumber: OperationHandler = (ctx, input) => {
  const record = getClaimed(ctx, input);
  const target = ctx.state.resolveTarget(input, ctx.region);
  record.status = 'IN_PROGRESS';
  // The API moves only the number: its flow configuration does not follow it.
  record.contactFlowId = undefined;
  record.pending = {
    kind: 'update',
    startedAt: ctx.now,
    completesAt: completionTime(ctx, ctx.options.updateLatencyMs),
    targetArn: target.targetArn,
    instanceId: target.instanceId,
  };
  record.history.push({ at: ctx.now, event: 'update-requested', detail: target.targetArn });
  ctx.state.settle(ctx.now);
  return { PhoneNumberId: record.id, PhoneNumberArn: record.arn };
};

export const updatePhoneNumberMetadata: OperationHandler = (ctx, input) => {
  const record = getClaimed(ctx, input);
  record.status = 'IN_PROGRESS';
  record.pending = {
    kind: 'metadata',
    startedAt: ctx.now,
    completesAt: completionTime(ctx, ctx.options.metadataLatencyMs),
    description: input.PhoneNumberDescription as string | undefined,
  };
  record.history.push({ at: ctx.now, event: 'metadata-requested' });
  ctx.state.settle(ctx.now);
  return undefined;
};
