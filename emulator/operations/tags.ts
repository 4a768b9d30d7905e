import { invalidParameter, notFound } from '../errors';
import { shape } from '../model';
import { PhoneNumberRecord } from '../state';
import { OperationContext, OperationHandler, OperationInput } from './context';
import { tagsVisible } from './visibility';

/** The tagging APIs here only know phone-number resources; any other ARN is not found. */
function taggable(ctx: OperationContext, input: OperationInput): PhoneNumberRecord {
  const arn = String(input.resourceArn);
  const record = ctx.state.findLive(arn, ctx.now);
  if (!record || record.arn !== arn) throw notFound(`Resource not found: ${arn}`);
  return record;
}

const MAX_TAGS = shape('TagMap').max ?? 50;

/**
 * Tags that count towards the 50: `aws:` tags are the system's and "don't count against your
 * tags-per-resource limit" (admin guide, Tagging). The TagKey pattern already keeps callers from adding
 * or removing them, so they can only come from a claim made outside the API (claimOutOfBand).
 */
const userTagCount = (tags: Record<string, string>): number => Object.keys(tags).filter((key) => !key.startsWith('aws:')).length;

export const tagResource: OperationHandler = (ctx, input) => {
  const record = taggable(ctx, input);
  const merged = { ...record.tags, ...(input.tags as Record<string, string>) };
  if (userTagCount(merged) > MAX_TAGS) {
    throw invalidParameter(`tags: a resource can have at most ${MAX_TAGS} tags (would have ${userTagCount(merged)})`);
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

export const listTagsForResource: OperationHandler = (ctx, input) => {
  const record = taggable(ctx, input);
  return { tags: tagsVisible(record, ctx.options.variants) ? { ...record.tags } : {} };
};
