/**
 * Input rules for a claimed phone number, shared by the construct (synth time) and the handler (deploy
 * time, before any Connect call). They follow the ClaimPhoneNumber API model so that a bad value fails
 * with a message that names it, instead of an opaque InvalidParameterException from Connect mid-deploy.
 */
import { MAX_USER_TAGS, RESERVED_TAG_KEYS } from './contract';

/** The user-facing description of one phone number, before any Connect call. */
export interface PhoneNumberSpec {
  readonly phoneNumber?: string;
  readonly instanceId?: string;
  readonly targetArn?: string;
  readonly description?: string;
  readonly tags?: { [key: string]: string };
}

/** Which name each field goes by where the error is shown (props in the construct, template names in the handler). */
export type FieldNames = { readonly [K in keyof PhoneNumberSpec]-?: string };

/** Tells the rules to skip a value that is not known yet (a CDK token at synth time). */
export type IsUnresolved = (value: string) => boolean;

export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
/** Connect's TagKey pattern; `u` makes \p{...} work. */
const TAG_KEY_PATTERN = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TARGET_ARN_PATTERN =
  /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:(instance|traffic-distribution-group)\/[A-Za-z0-9-]+$/;
const MAX_DESCRIPTION_LENGTH = 500;
const MAX_INSTANCE_ID_LENGTH = 100;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

const never: IsUnresolved = () => false;

/**
 * Returns every rule the spec breaks, one sentence each; an empty list means valid.
 * Values for which `isUnresolved` is true are not checked (they are only known at deploy time).
 */
export function validatePhoneNumberSpec(
  spec: PhoneNumberSpec,
  names: FieldNames,
  isUnresolved: IsUnresolved = never,
): string[] {
  const known = (value: string | undefined): value is string => value !== undefined && !isUnresolved(value);
  return [
    ...checkPhoneNumber(spec.phoneNumber, names, known),
    ...checkTarget(spec, names, known),
    ...checkDescription(spec.description, names, known),
    ...checkTags(spec.tags, names, known),
  ];
}

/** The tag rules alone, for tags known only late (added by `Tags.of()` aspects). */
export function validateTags(tags: { [key: string]: string }, name: string, isUnresolved: IsUnresolved = never): string[] {
  const known = (value: string | undefined): value is string => value !== undefined && !isUnresolved(value);
  return checkTags(tags, { ...NO_NAMES, tags: name }, known);
}

const NO_NAMES: FieldNames = { phoneNumber: '', instanceId: '', targetArn: '', description: '', tags: '' };

type Known = (value: string | undefined) => value is string;

function checkPhoneNumber(phoneNumber: string | undefined, names: FieldNames, known: Known): string[] {
  if (phoneNumber === undefined || phoneNumber === '') {
    return [`${names.phoneNumber} is required: give the number to claim in E.164 format, for example +12065550100.`];
  }
  if (known(phoneNumber) && !E164_PATTERN.test(phoneNumber)) {
    return [
      `${names.phoneNumber} must be in E.164 format: "+", a country code and the subscriber number, ` +
        `2 to 15 digits in all, no spaces or dashes (for example +12065550100); got ${show(phoneNumber)}.`,
    ];
  }
  return [];
}

function checkTarget(spec: PhoneNumberSpec, names: FieldNames, known: Known): string[] {
  const hasInstance = spec.instanceId !== undefined && spec.instanceId !== '';
  const hasTarget = spec.targetArn !== undefined && spec.targetArn !== '';
  if (hasInstance && hasTarget) {
    return [
      `Give exactly one of ${names.instanceId} or ${names.targetArn}, not both; got ${names.instanceId} ` +
        `${show(spec.instanceId!)} and ${names.targetArn} ${show(spec.targetArn!)}.`,
    ];
  }
  if (!hasInstance && !hasTarget) {
    return [
      `Give exactly one of ${names.instanceId} (the Connect instance id) or ${names.targetArn} ` +
        '(an instance or traffic distribution group ARN); got neither.',
    ];
  }
  if (hasInstance && known(spec.instanceId)) {
    if (spec.instanceId.startsWith('arn:')) {
      return [
        `${names.instanceId} must be the instance id, not an ARN; got ${show(spec.instanceId)}. ` +
          `Pass the ARN as ${names.targetArn}, or only the id after "instance/".`,
      ];
    }
    if (spec.instanceId.length > MAX_INSTANCE_ID_LENGTH) {
      return [
        `${names.instanceId} must be 1 to ${MAX_INSTANCE_ID_LENGTH} characters; got ${spec.instanceId.length}: ${show(spec.instanceId)}.`,
      ];
    }
  }
  if (hasTarget && known(spec.targetArn) && !TARGET_ARN_PATTERN.test(spec.targetArn)) {
    return [
      `${names.targetArn} must be the ARN of a Connect instance or traffic distribution group ` +
        '(arn:aws:connect:<region>:<account>:instance/<id> or ' +
        `arn:aws:connect:<region>:<account>:traffic-distribution-group/<id>); got ${show(spec.targetArn)}.`,
    ];
  }
  return [];
}

function checkDescription(description: string | undefined, names: FieldNames, known: Known): string[] {
  if (known(description) && description.length > MAX_DESCRIPTION_LENGTH) {
    return [
      `${names.description} must be at most ${MAX_DESCRIPTION_LENGTH} characters; ` +
        `got ${description.length}: ${show(description)}.`,
    ];
  }
  return [];
}

function checkTags(tags: { [key: string]: string } | undefined, names: FieldNames, known: Known): string[] {
  if (tags === undefined) {
    return [];
  }
  const errors: string[] = [];
  const keys = Object.keys(tags);
  if (keys.length > MAX_USER_TAGS) {
    errors.push(
      `${names.tags} may hold at most ${MAX_USER_TAGS} tags (Connect allows 50 per number and this construct ` +
        `adds one ownership tag); got ${keys.length}.`,
    );
  }
  for (const key of keys) {
    errors.push(...checkTag(key, tags[key], names, known));
  }
  return errors;
}

function checkTag(key: string, value: string | undefined, names: FieldNames, known: Known): string[] {
  const errors: string[] = [];
  if (known(key)) {
    if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH) {
      errors.push(`${names.tags} key ${show(key)} must be 1 to ${MAX_TAG_KEY_LENGTH} characters; got ${key.length}.`);
    } else if (key.toLowerCase().startsWith('aws:')) {
      errors.push(`${names.tags} key ${show(key)} may not start with "aws:": that prefix is reserved for AWS.`);
    } else if (!TAG_KEY_PATTERN.test(key)) {
      errors.push(
        `${names.tags} key ${show(key)} may only contain letters, digits, spaces and _ . : / = + - @.`,
      );
    } else if (RESERVED_TAG_KEYS.includes(key)) {
      errors.push(`${names.tags} key ${show(key)} is reserved: the handler uses it to record which resource owns the number.`);
    }
  }
  if (typeof value !== 'string') {
    errors.push(`${names.tags} value of ${show(key)} must be a string; got ${show(String(value))}.`);
  } else if (known(value) && value.length > MAX_TAG_VALUE_LENGTH) {
    errors.push(
      `${names.tags} value of ${show(key)} must be at most ${MAX_TAG_VALUE_LENGTH} characters; got ${value.length}: ${show(value)}.`,
    );
  }
  return errors;
}

/**
 * Quotes a value for an error message. A long one keeps its start and its end (where an ARN says what
 * kind of resource it is), so the message stays readable and still shows what is wrong.
 */
function show(value: string): string {
  const shown = value.length > 120 ? `${value.slice(0, 60)}...${value.slice(-57)}` : value;
  return JSON.stringify(shown);
}
