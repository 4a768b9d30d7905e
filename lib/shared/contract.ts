/**
 * The contract between the construct (lib/) and the handler (lambda/): the custom resource type, the
 * property and attribute names in the template, and the ownership tags the handler writes.
 *
 * Both sides import these constants so that a rename can never desynchronise them. The property names are
 * the ClaimPhoneNumber API's own member names, so the template reads like the API call it becomes.
 */

/** CloudFormation resource type of every claimed number. */
export const RESOURCE_TYPE = 'Custom::ClaimedPhoneNumber';

/** Resource property names (ResourceProperties keys). */
export const Property = {
  PHONE_NUMBER: 'PhoneNumber',
  INSTANCE_ID: 'InstanceId',
  TARGET_ARN: 'TargetArn',
  DESCRIPTION: 'PhoneNumberDescription',
  TAGS: 'Tags',
  /** Search-and-claim criteria (named as in SearchAvailablePhoneNumbers), instead of PhoneNumber. */
  COUNTRY_CODE: 'PhoneNumberCountryCode',
  TYPE: 'PhoneNumberType',
  PREFIX: 'PhoneNumberPrefix',
  /** The ARN of a contact flow to associate the number with. */
  CONTACT_FLOW_ARN: 'ContactFlowArn',
  /** 'true' lets the resource take over a number already claimed to its target. */
  ADOPT_EXISTING: 'AdoptExisting',
  /**
   * The ARN of an AWS End User Messaging SMS phone number to import (ImportPhoneNumber), instead of
   * PhoneNumber or the search criteria.
   */
  SOURCE_PHONE_NUMBER_ARN: 'SourcePhoneNumberArn',
} as const;

/** The ARN of an Amazon Connect phone number: `arn:<partition>:connect:<region>:<account>:phone-number/<id>`. */
export const PHONE_NUMBER_ARN_PATTERN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:phone-number\/[A-Za-z0-9-]+$/;

/** Phone number types Connect's SearchAvailablePhoneNumbers accepts. */
export const PHONE_NUMBER_TYPES: readonly string[] = ['TOLL_FREE', 'DID', 'UIFN', 'SHARED', 'THIRD_PARTY_TF', 'THIRD_PARTY_DID', 'SHORT_CODE'];

/** Attribute names available through `Fn::GetAtt` (the handler's `Data`). */
export const Attribute = {
  PHONE_NUMBER_ARN: 'PhoneNumberArn',
  PHONE_NUMBER_ID: 'PhoneNumberId',
  PHONE_NUMBER: 'PhoneNumber',
} as const;

/**
 * Tags the handler adds to every number it claims so that it can tell its own numbers from numbers that
 * somebody else claimed. The value is `<stack name>/<logical id>` (see ownership.ts in lambda/).
 * They are kept out of the user's tag diff, and they count in Connect's 50-tag limit.
 */
export const OwnershipTag = {
  /** The resource that owns the number. */
  OWNER: 'claimed-phone-number:owner',
  /** Set while a number is being handed from one logical id to another (a construct moved in the tree). */
  HANDOVER_FROM: 'claimed-phone-number:handover-from',
  /**
   * Set when a Delete reached a number the stack did not let go (see KeptReason), and the number was kept
   * instead of released: `<reason>@<ISO time>`, e.g. `UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS@2026-12-07T05:00:00.000Z`.
   * The key is the one 0.2.0 wrote (it then held only rollbacks). The owner tag stays, so the next deploy of
   * the same resource takes the number back without claiming, and `cdk-claimed-phone-number list` shows it.
   */
  KEPT_BY_ROLLBACK: 'claimed-phone-number:kept-by-rollback',
  /**
   * On the number a resource holds: the ids (space-separated) of numbers kept for the same resource, so that
   * the Delete of a stack delete releases them too without searching the account.
   */
  KEPT_NUMBERS: 'claimed-phone-number:kept-numbers',
} as const;

/** Tag keys that users may not set themselves. */
export const RESERVED_TAG_KEYS: readonly string[] = [OwnershipTag.OWNER, OwnershipTag.HANDOVER_FROM, OwnershipTag.KEPT_BY_ROLLBACK, OwnershipTag.KEPT_NUMBERS];

/** Connect's limit on tags per phone number. */
export const MAX_TAGS_PER_NUMBER = 50;

/**
 * Reserved tags a number carries at most at once: the owner tag, plus either the handover tag (a construct
 * that moves in the tree) or the kept-by-rollback tag (never both: a number handed back is not kept). The
 * kept-numbers list is written only where the number has room for it (it is a shortcut for stack deletes,
 * not a record the handler relies on), so it takes nothing from the tags a user may declare.
 */
const MAX_RESERVED_TAGS_AT_ONCE = 2;

/** Tags a user may declare: Connect's limit less the reserved tags a number can carry at once. */
export const MAX_USER_TAGS = MAX_TAGS_PER_NUMBER - MAX_RESERVED_TAGS_AT_ONCE;

/** Environment variables the provider sets on the handler functions. */
export const HandlerEnv = {
  /** Seconds an operation (claim, move, release) may stay IN_PROGRESS before the handler gives up. */
  OPERATION_TIMEOUT_SECONDS: 'OPERATION_TIMEOUT_SECONDS',
  /**
   * Set for a nested stack only: `<root stack name>/<logical id of each nested stack from the root down>`.
   * Owner tags of numbers in nested stacks start with it instead of the nested stack's generated name, which
   * changes when the nested stack is created again.
   */
  OWNER_SCOPE: 'OWNER_SCOPE',
  /**
   * How many claimed numbers the provider's stack declares: the crowd that may call Connect at once (a deploy,
   * a stack delete), which the handler paces its retries for (lambda/retry.ts, CrowdPacing).
   */
  NUMBERS_IN_STACK: 'NUMBERS_IN_STACK',
  /**
   * How many claimed numbers every stack of the app that may deploy at the same time as this one, in the same
   * account and Region, works on at once (this stack's included): the crowd the handler assumes once its own
   * stack's crowd proves too small (lambda/retry.ts, CrowdPacing).
   */
  NUMBERS_IN_ACCOUNT: 'NUMBERS_IN_ACCOUNT',
} as const;

/**
 * Why a Delete kept a number instead of releasing it: the status of the stack that decided (the asking
 * stack's, or for a nested stack the first parent's that does not let go, as `parent:<status>`), or
 * STACK_STATUS_UNREADABLE when CloudFormation could not be read. The release rule is in lambda/release-rule.ts.
 */
export const KeptReason = {
  STACK_UNREADABLE: 'STACK_STATUS_UNREADABLE',
  PARENT_PREFIX: 'parent:',
} as const;

/** The metric the handler writes (Embedded Metric Format) each time it keeps a number. */
export const KeptMetric = {
  NAMESPACE: 'ClaimedPhoneNumber',
  NAME: 'NumbersKept',
  /** Dimension sets: by stack, and by stack and reason. */
  STACK_DIMENSION: 'StackName',
  REASON_DIMENSION: 'Reason',
} as const;

/** Parses a kept mark, `<reason>@<ISO time>`. */
export function parseKeptMark(value: string): { readonly reason: string; readonly at: string | undefined } {
  const at = value.lastIndexOf('@');
  return at < 0 ? { reason: value, at: undefined } : { reason: value.slice(0, at), at: value.slice(at + 1) };
}
