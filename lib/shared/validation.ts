/**
 * Input rules for a claimed phone number, shared by the construct (synth time) and the handler (deploy
 * time, before any Connect call). They follow the ClaimPhoneNumber API model so that a bad value fails
 * with a message that names it, instead of an opaque InvalidParameterException from Connect mid-deploy.
 */
import { MAX_USER_TAGS, PHONE_NUMBER_TYPES, RESERVED_TAG_KEYS } from './contract';

/** The user-facing description of one phone number, before any Connect call. */
export interface PhoneNumberSpec {
  readonly phoneNumber?: string;
  readonly countryCode?: string;
  readonly type?: string;
  readonly prefix?: string;
  readonly instanceId?: string;
  readonly targetArn?: string;
  readonly description?: string;
  readonly tags?: { [key: string]: string };
  readonly contactFlowArn?: string;
  readonly adoptExisting?: boolean;
  /** An AWS End User Messaging SMS phone number to import instead of claiming one. */
  readonly sourcePhoneNumberArn?: string;
}

/** Which name each field goes by where the error is shown (props in the construct, template names in the handler). */
export type FieldNames = { readonly [K in keyof PhoneNumberSpec]-?: string };

/** Tells the rules to skip a value that is not known yet (a CDK token at synth time). */
export type IsUnresolved = (value: string) => boolean;

export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
/** Connect's TagKey pattern; `u` makes \p{...} work. */
const TAG_KEY_PATTERN = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const COUNTRY_CODE_PATTERN = /^[A-Z]{2}$/;
const PREFIX_PATTERN = /^\+[0-9]{1,11}$/;
export const CONTACT_FLOW_ARN_PATTERN =
  /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/([A-Za-z0-9-]+)\/contact-flow\/([A-Za-z0-9-]+)$/;
const TARGET_ARN_PATTERN =
  /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:(instance|traffic-distribution-group)\/[A-Za-z0-9-]+$/;
/** An AWS End User Messaging SMS phone number (the sms-voice service's phone-number resource). */
export const SOURCE_PHONE_NUMBER_ARN_PATTERN = /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:phone-number\/[A-Za-z0-9_-]+$/;
const TDG_ARN_PATTERN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:traffic-distribution-group\//;
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
    ...checkNumberChoice(spec, names, known),
    ...checkTarget(spec, names, known),
    ...checkContactFlow(spec, names, known),
    ...checkDescription(spec.description, names, known),
    ...checkTags(spec.tags, names, known),
  ];
}

/** The tag rules alone, for tags known only late (added by `Tags.of()` aspects). */
export function validateTags(tags: { [key: string]: string }, name: string, isUnresolved: IsUnresolved = never): string[] {
  const known = (value: string | undefined): value is string => value !== undefined && !isUnresolved(value);
  return checkTags(tags, { ...NO_NAMES, tags: name }, known);
}

const NO_NAMES: FieldNames = {
  phoneNumber: '',
  countryCode: '',
  type: '',
  prefix: '',
  instanceId: '',
  targetArn: '',
  description: '',
  tags: '',
  contactFlowArn: '',
  adoptExisting: '',
  sourcePhoneNumberArn: '',
};

type Known = (value: string | undefined) => value is string;

/** Either a phone number, or search criteria (country code and type, optionally a prefix), or a number to import. */
function checkNumberChoice(spec: PhoneNumberSpec, names: FieldNames, known: Known): string[] {
  const searching = [spec.countryCode, spec.type, spec.prefix].some((value) => value !== undefined && value !== '');
  if (spec.sourcePhoneNumberArn !== undefined && spec.sourcePhoneNumberArn !== '') {
    return checkImport(spec, spec.sourcePhoneNumberArn, searching, names, known);
  }
  if (!searching) {
    return checkPhoneNumber(spec.phoneNumber, names, known);
  }
  if (spec.phoneNumber !== undefined && spec.phoneNumber !== '') {
    return [
      `Give one of ${numberSources(names)}, not two; ` +
        `got ${names.phoneNumber} ${show(spec.phoneNumber)} and ${searchName(names)}.`,
    ];
  }
  const errors: string[] = [];
  if (spec.countryCode === undefined || spec.countryCode === '') {
    errors.push(`${names.countryCode} is required to search for a number: an ISO country code such as "US".`);
  } else if (known(spec.countryCode) && !COUNTRY_CODE_PATTERN.test(spec.countryCode)) {
    errors.push(`${names.countryCode} must be an ISO 3166-1 alpha-2 country code in capitals, such as "US"; got ${show(spec.countryCode)}.`);
  }
  if (spec.type === undefined || spec.type === '') {
    errors.push(`${names.type} is required to search for a number: one of ${PHONE_NUMBER_TYPES.join(', ')}.`);
  } else if (known(spec.type) && !PHONE_NUMBER_TYPES.includes(spec.type)) {
    errors.push(`${names.type} must be one of ${PHONE_NUMBER_TYPES.join(', ')}; got ${show(spec.type)}.`);
  }
  if (known(spec.prefix) && spec.prefix !== '' && !PREFIX_PATTERN.test(spec.prefix)) {
    errors.push(`${names.prefix} must be "+" and 1 to 11 digits, country code included, such as "+1206"; got ${show(spec.prefix)}.`);
  }
  if (spec.adoptExisting) {
    errors.push(`${names.adoptExisting} needs a specific ${names.phoneNumber} to take over; it cannot be combined with a search.`);
  }
  return errors;
}

/**
 * A number imported from AWS End User Messaging SMS: neither a phone number nor a search besides it, and an
 * instance as target, since ImportPhoneNumber takes an InstanceId only.
 */
function checkImport(spec: PhoneNumberSpec, source: string, searching: boolean, names: FieldNames, known: Known): string[] {
  const errors: string[] = [];
  if (spec.phoneNumber !== undefined && spec.phoneNumber !== '') {
    errors.push(
      `Give either ${names.sourcePhoneNumberArn} (a number to import) or ${names.phoneNumber} (a number to claim), not both; ` +
        `got ${names.phoneNumber} ${show(spec.phoneNumber)}.`,
    );
  }
  if (searching) {
    errors.push(
      `Give either ${names.sourcePhoneNumberArn} (a number to import) or search criteria (${names.countryCode}, ${names.type}), not both.`,
    );
  }
  if (known(source) && !SOURCE_PHONE_NUMBER_ARN_PATTERN.test(source)) {
    errors.push(
      `${names.sourcePhoneNumberArn} must be the ARN of an AWS End User Messaging SMS phone number ` +
        `(arn:aws:sms-voice:<region>:<account>:phone-number/<id>); got ${show(source)}.`,
    );
  }
  if (spec.targetArn !== undefined && known(spec.targetArn) && TDG_ARN_PATTERN.test(spec.targetArn)) {
    errors.push(
      `${names.sourcePhoneNumberArn} imports the number to an Amazon Connect instance only (ImportPhoneNumber takes an ` +
        `InstanceId, not a traffic distribution group); got ${names.targetArn} ${show(spec.targetArn)}.`,
    );
  }
  return errors;
}

function checkContactFlow(spec: PhoneNumberSpec, names: FieldNames, known: Known): string[] {
  const contactFlowArn = spec.contactFlowArn;
  if (!known(contactFlowArn) || contactFlowArn === '') {
    return [];
  }
  const flow = CONTACT_FLOW_ARN_PATTERN.exec(contactFlowArn);
  if (!flow) {
    return [
      `${names.contactFlowArn} must be the ARN of a contact flow ` +
        `(arn:aws:connect:<region>:<account>:instance/<instance id>/contact-flow/<flow id>); got ${show(contactFlowArn)}.`,
    ];
  }
  // A number claimed to an instance can only be associated with a flow of that instance.
  const instance = known(spec.targetArn) ? /:instance\/([A-Za-z0-9-]+)$/.exec(spec.targetArn)?.[1] : spec.instanceId;
  if (known(instance) && instance !== flow[1]) {
    return [
      `${names.contactFlowArn} is a flow of instance ${flow[1]}, but the number is claimed to instance ${instance}; ` +
        'use a flow of that instance.',
    ];
  }
  return [];
}

/**
 * The search criteria as one name: `search` where the fields are props of a `search` object
 * (`search.countryCode`), the criteria's template properties otherwise.
 */
function searchName(names: FieldNames): string {
  const dot = names.countryCode.indexOf('.');
  return dot > 0 ? names.countryCode.slice(0, dot) : `search criteria (${names.countryCode}, ${names.type})`;
}

/** What a search does, naming its required fields once. */
function searchFinds(names: FieldNames): string {
  return names.countryCode.indexOf('.') > 0
    ? `${searchName(names)} finds one to claim (${names.countryCode} and ${names.type})`
    : `${searchName(names)} find one to claim`;
}

/** The three sources of a number, as a message lists them: "phoneNumber, search or sourcePhoneNumberArn". */
function numberSources(names: FieldNames): string {
  return `${names.phoneNumber}, ${searchName(names)} or ${names.sourcePhoneNumberArn}`;
}

function checkPhoneNumber(phoneNumber: string | undefined, names: FieldNames, known: Known): string[] {
  if (phoneNumber === undefined || phoneNumber === '') {
    return [
      `Give one of ${numberSources(names)} (${names.phoneNumber} is required unless one of the others is given): ` +
        `${names.phoneNumber} is the number to claim in E.164 format, for example +12065550100; ${searchFinds(names)}; ` +
        `${names.sourcePhoneNumberArn} imports an AWS End User Messaging SMS number; got none.`,
    ];
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
        `reserves 2 for its ownership tags); got ${keys.length}.`,
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
