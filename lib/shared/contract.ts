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
   * Set when a rollback removed the resource (or the replacement) that held the number, and the number was
   * kept instead of released: `<stack status>@<ISO time>`. The owner tag stays, so the next deploy of the
   * same resource takes the number back without claiming; README "Failure handling" says how to find and
   * release such numbers by hand when a stack is abandoned.
   */
  KEPT_BY_ROLLBACK: 'claimed-phone-number:kept-by-rollback',
} as const;

/** Tag keys that users may not set themselves. */
export const RESERVED_TAG_KEYS: readonly string[] = [OwnershipTag.OWNER, OwnershipTag.HANDOVER_FROM, OwnershipTag.KEPT_BY_ROLLBACK];

/** Connect's limit on tags per phone number. */
export const MAX_TAGS_PER_NUMBER = 50;

/**
 * Reserved tags a number carries at most at once: the owner tag, plus either the handover tag (a construct
 * that moves in the tree) or the kept-by-rollback tag (never both: a number handed back is not kept).
 */
const MAX_RESERVED_TAGS_AT_ONCE = 2;

/** Tags a user may declare: Connect's limit less the reserved tags a number can carry at once. */
export const MAX_USER_TAGS = MAX_TAGS_PER_NUMBER - MAX_RESERVED_TAGS_AT_ONCE;

/** Environment variables the provider sets on the handler functions. */
export const HandlerEnv = {
  /** Seconds an operation (claim, move, release) may stay IN_PROGRESS before the handler gives up. */
  OPERATION_TIMEOUT_SECONDS: 'OPERATION_TIMEOUT_SECONDS',
} as const;
