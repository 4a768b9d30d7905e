import { invalidParameter } from '../errors';
import { PhoneNumberRecord } from '../state';
import { EmulatorVariants } from '../variants';
import { decodeToken, encodeToken, OperationHandler } from './context';
import { isVisible } from './visibility';

const invalidToken = (): Error => invalidParameter('NextToken is invalid or does not belong to this query');

/** The scope a NextToken is bound to: the request minus paging members. */
function scopeOf(input: Record<string, unknown>): string {
  const { NextToken: _t, MaxResults: _m, ...rest } = input;
  void _t;
  void _m;
  return JSON.stringify(rest);
}

function paginate<T>(items: T[], input: Record<string, unknown>, defaultMax: number): { page: T[]; next?: string } {
  const scope = scopeOf(input);
  const offset = decodeToken(input.NextToken, scope, invalidToken);
  const max = (input.MaxResults as number | undefined) ?? defaultMax;
  const page = items.slice(offset, offset + max);
  const end = offset + page.length;
  return { page, next: end < items.length ? encodeToken(end, scope) : undefined };
}

/** Which statuses ListPhoneNumbersV2 shows (listIncludesInProgress / listIncludesFailed variants). */
function listedStatus(r: PhoneNumberRecord, variants: EmulatorVariants): boolean {
  if (r.status === 'CLAIMED') return true;
  if (r.status === 'IN_PROGRESS') return variants.listIncludesInProgress;
  if (r.status === 'FAILED') return variants.listIncludesFailed;
  return false;
}

export const listPhoneNumbersV2: OperationHandler = (ctx, input) => {
  const variants = ctx.options.variants;
  const target =
    input.TargetArn !== undefined || input.InstanceId !== undefined ? ctx.state.resolveTarget(input, ctx.region) : undefined;
  const countries = input.PhoneNumberCountryCodes as string[] | undefined;
  const types = input.PhoneNumberTypes as string[] | undefined;
  const prefix = input.PhoneNumberPrefix as string | undefined;
  ctx.state.settle(ctx.now);
  const matching = ctx.state.records.filter(
    (r) =>
      listedStatus(r, variants) &&
      isVisible(r, ctx.now) &&
      r.region === ctx.region &&
      (target ? r.targetArn === target.targetArn : variants.listWithoutTargetIncludesTdgNumbers || r.instanceId !== undefined) &&
      (!countries || countries.length === 0 || countries.includes(r.countryCode)) &&
      (!types || types.length === 0 || types.includes(r.type)) &&
      (!prefix || r.phoneNumber.startsWith(prefix.startsWith('+') ? prefix : `+${prefix}`)),
  );
  const { page, next } = paginate(matching, input, 100);
  return {
    ListPhoneNumbersSummaryList: page.map((r) => ({
      PhoneNumberId: r.id,
      PhoneNumberArn: r.arn,
      PhoneNumber: r.phoneNumber,
      PhoneNumberCountryCode: r.countryCode,
      PhoneNumberType: r.type,
      TargetArn: r.targetArn,
      ...(r.instanceId !== undefined ? { InstanceId: r.instanceId } : {}),
      ...(r.description !== undefined ? { PhoneNumberDescription: r.description } : {}),
      ...(r.sourcePhoneNumberArn !== undefined ? { SourcePhoneNumberArn: r.sourcePhoneNumberArn } : {}),
    })),
    ...(next ? { NextToken: next } : {}),
  };
};

export const searchAvailablePhoneNumbers: OperationHandler = (ctx, input) => {
  ctx.state.resolveTarget(input, ctx.region);
  const prefix = input.PhoneNumberPrefix as string | undefined;
  const available = ctx.options.inventory.filter(
    (n) =>
      n.countryCode === input.PhoneNumberCountryCode &&
      n.type === input.PhoneNumberType &&
      (!prefix || n.phoneNumber.startsWith(prefix.startsWith('+') ? prefix : `+${prefix}`)) &&
      !ctx.state.unavailableReason(n.phoneNumber, ctx.now),
  );
  const { page, next } = paginate(available, input, 10);
  return {
    AvailableNumbersList: page.map((n) => ({
      PhoneNumber: n.phoneNumber,
      PhoneNumberCountryCode: n.countryCode,
      PhoneNumberType: n.type,
    })),
    ...(next ? { NextToken: next } : {}),
  };
};
