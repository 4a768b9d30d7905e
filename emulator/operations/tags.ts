import { invalidParameter, notFound } from '../errors';
import { shape } from '../model';
import { PhoneNumberRecord } from '../state';
import { OperationContext, OperationHandler, OperationInput } from './context';

/** The tagging APIs here only know phone-number resources; any other ARN is not found. */
function taggable(ctx: OperationContext, input: OperationInput): PhoneNumberRecord {
  const arn = String(input.resourceArn);
  const record = ctx.state.findLive(arn, ctx.now);
  if (!record || record.arn !== arn) throw notFound(`Resource not found: ${arn}`);
  return record;
}

const MAX_TAGS = shape('TagMap').max ?? 50;

export const tagResource: OperationHandler = (ctx, input) => {
  const record = taggable(ctx, input);
  const merged = { ...record.tags, ...(input.tags as Record<string, string>) };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw invalidParameter(`tags: a resource can have at most ${MAX_TAGS} tags (would have ${Object.keys(merged).length})`);
  }
  record.tags = merged;
  record.history.push({ at: ctx.now, event: 'tagged', detail: Object.keys(input.tags as object).join(',') });
  return undefined;
};

export const untagResource: OperationHandler = (ctx, input) => {
  const record = taggable(ctx, input);
  const keys = input.tagKeys as string[];
  record.tags = Object.fromEntries(Object.entries(record.tags).filter(([k]) => !keys.includes(k)));
  record.history.push({ at: ctx.now, event: 'untagged', detail: keys.join(',') });
  return undefined;
};

export const listTagsForResource: OperationHandler = (ctx, input) => ({ tags: { ...taggable(ctx, input).tags } });
