import { invalidParameter, notFound } from '../errors';
import { PhoneNumberRecord } from '../state';
import { EmulatorVariants } from '../variants';
import { atNumberLimit, CLAIMED_NUMBER_LIMIT_MESSAGE } from './claim';
import { completionTime, OperationContext, OperationHandler, OperationInput } from './context';
import { assertNotInProgress } from './in-progress';
import { hideFor, isVisible, tagsVisible } from './visibility';

/** The ClaimedPhoneNumberSummary shape for a record. */
export function claimedSummary(r: PhoneNumberRecord, variants: EmulatorVariants): Record<string, unknown> {
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
    Tags: tagsVisible(r, variants) ? { ...r.tags } : {},
    PhoneNumberStatus: status,
    ...(r.sourcePhoneNumberArn !== undefined ? { SourcePhoneNumberArn: r.sourcePhoneNumberArn } : {}),
  };
}

export const describePhoneNumber: OperationHandler = (ctx, input) => {
  const id = String(input.PhoneNumberId);
  const record = ctx.state.getLive(id, ctx.now);
  if (!isVisible(record, ctx.now)) throw notFound(`Phone number not found: ${id}`);
  return { ClaimedPhoneNumberSummary: claimedSummary(record, ctx.options.variants) };
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
  // "A common reason for a failure may be that the TargetArn value you are ... updating a phone number to
  // has reached its limit of total claimed numbers" (PhoneNumberStatus).
  const full = target.targetArn !== record.targetArn && atNumberLimit(ctx, target.targetArn);
  record.status = 'IN_PROGRESS';
  // The API moves only the number: its flow configuration does not follow it.
  record.contactFlowId = undefined;
  record.pending = {
    kind: 'update',
    startedAt: ctx.now,
    completesAt: completionTime(ctx, ctx.options.updateLatencyMs),
    targetArn: target.targetArn,
    instanceId: target.instanceId,
    ...(full ? { failMessage: CLAIMED_NUMBER_LIMIT_MESSAGE } : {}),
  };
  record.history.push({ at: ctx.now, event: 'update-requested', detail: target.targetArn });
  hideFor(record, ctx.options.variants, ctx.now);
  ctx.state.settle(ctx.now);
  return { PhoneNumberId: record.id, PhoneNumberArn: record.arn };
};

/** The description a metadata update applies: a string, null to remove it, undefined to leave it. */
function descriptionChange(ctx: OperationContext, input: OperationInput): string | null | undefined {
  const description = input.PhoneNumberDescription as string | undefined;
  if (description !== '') return description;
  switch (ctx.options.variants.emptyDescriptionUpdate) {
    case 'clears':
      return null;
    case 'ignored':
      return undefined;
    case 'refused':
      throw invalidParameter('PhoneNumberDescription must not be empty');
  }
}

export const updatePhoneNumberMetadata: OperationHandler = (ctx, input) => {
  const record = getClaimed(ctx, input);
  const description = descriptionChange(ctx, input);
  record.status = 'IN_PROGRESS';
  record.pending = {
    kind: 'metadata',
    startedAt: ctx.now,
    completesAt: completionTime(ctx, ctx.options.metadataLatencyMs),
    description,
  };
  record.history.push({ at: ctx.now, event: 'metadata-requested' });
  ctx.state.settle(ctx.now);
  return undefined;
};
