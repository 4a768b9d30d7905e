/**
 * Reads the resource properties CloudFormation sends (scalars arrive as strings; Tags as a map) into the
 * desired state of a number, validating them with the same rules the construct applies at synth time.
 * A hand-edited template, or a token that resolved to a bad value, fails here with a clear reason before
 * any Connect call.
 */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { Property } from '../lib/shared/contract';
import { CONTACT_FLOW_ARN_PATTERN, FieldNames, PhoneNumberSpec, validatePhoneNumberSpec } from '../lib/shared/validation';
import { InvalidPropertiesError } from './errors';
import { Target } from './target';

/** Search-and-claim criteria, as SearchAvailablePhoneNumbers takes them. */
export interface NumberSearch {
  readonly countryCode: string;
  readonly type: string;
  readonly prefix?: string;
}

/** A contact flow, with the two ids AssociatePhoneNumberContactFlow needs. */
export interface ContactFlow {
  readonly arn: string;
  readonly instanceId: string;
  readonly flowId: string;
}

export interface DesiredNumber {
  /** The number to claim; undefined when the number is found by `search`. */
  readonly phoneNumber?: string;
  readonly search?: NumberSearch;
  readonly target: Target;
  /** '' when none is declared: removing a description clears it. */
  readonly description: string;
  /** The user's tags only; the ownership tag is added separately. */
  readonly tags: { [key: string]: string };
  readonly contactFlow?: ContactFlow;
  /** Take over the number if it is already claimed to the target, by hand or by another tool. */
  readonly adoptExisting: boolean;
  /** The AWS End User Messaging SMS number to import (ImportPhoneNumber) instead of claiming one. */
  readonly sourcePhoneNumberArn?: string;
}

/** What identifies the number a resource holds: a change here means a different number (replacement). */
export function numberChoiceKey(number: DesiredNumber): string {
  if (number.sourcePhoneNumberArn) {
    return JSON.stringify(['import', number.sourcePhoneNumberArn]);
  }
  return number.search ? JSON.stringify(['search', number.search.countryCode, number.search.type, number.search.prefix ?? '']) : JSON.stringify(['number', number.phoneNumber]);
}

/**
 * Whether a claimed number is one the declared properties ask for: the declared number itself, or a number
 * that matches the declared search (country, type and prefix). The target is not part of it: a number on
 * another target is moved, not replaced.
 */
export function satisfies(summary: ClaimedPhoneNumberSummary, desired: DesiredNumber): boolean {
  if (desired.sourcePhoneNumberArn) {
    // DescribePhoneNumber reports where an imported number came from.
    return summary.SourcePhoneNumberArn === desired.sourcePhoneNumberArn;
  }
  if (!desired.search) {
    return summary.PhoneNumber === desired.phoneNumber;
  }
  const prefix = desired.search.prefix ? `+${desired.search.prefix.replace(/^\+/, '')}` : '+';
  return (
    summary.PhoneNumberCountryCode === desired.search.countryCode &&
    summary.PhoneNumberType === desired.search.type &&
    (summary.PhoneNumber ?? '').startsWith(prefix)
  );
}

/** How the number is named in messages: the number itself, or the search that finds it. */
export function describeNumber(number: DesiredNumber): string {
  if (number.sourcePhoneNumberArn) {
    return `the number imported from ${number.sourcePhoneNumberArn}`;
  }
  return number.phoneNumber ?? `a ${number.search!.type} number in ${number.search!.countryCode}${number.search!.prefix ? ` starting ${number.search!.prefix}` : ''}`;
}

/** The construct's field names as the template (and so the handler) spells them, for the shared validation messages. */
export const TEMPLATE_NAMES: FieldNames = {
  phoneNumber: Property.PHONE_NUMBER,
  countryCode: Property.COUNTRY_CODE,
  type: Property.TYPE,
  prefix: Property.PREFIX,
  instanceId: Property.INSTANCE_ID,
  targetArn: Property.TARGET_ARN,
  description: Property.DESCRIPTION,
  tags: Property.TAGS,
  contactFlowArn: Property.CONTACT_FLOW_ARN,
  adoptExisting: Property.ADOPT_EXISTING,
  sourcePhoneNumberArn: Property.SOURCE_PHONE_NUMBER_ARN,
};

type RawProperties = { [key: string]: unknown } | undefined;

/** The validated desired state; throws InvalidPropertiesError listing every problem. */
export function readDesiredNumber(properties: RawProperties): DesiredNumber {
  const problems: string[] = [];
  const spec = toSpec(properties, problems);
  problems.push(...validatePhoneNumberSpec(spec, TEMPLATE_NAMES));
  if (problems.length > 0) {
    throw new InvalidPropertiesError(problems);
  }
  return toDesired(spec);
}

/**
 * The state a previous deploy declared (OldResourceProperties), read without validation: it was accepted
 * once, and an old value that today's rules reject must not block an update that fixes it.
 */
export function readPreviousNumber(properties: RawProperties): DesiredNumber {
  return toDesired(toSpec(properties, []));
}

function toDesired(spec: PhoneNumberSpec): DesiredNumber {
  const importing = Boolean(spec.sourcePhoneNumberArn);
  const searching = !importing && Boolean(spec.countryCode || spec.type || spec.prefix);
  const flow = CONTACT_FLOW_ARN_PATTERN.exec(spec.contactFlowArn ?? '');
  return {
    phoneNumber: searching || importing ? undefined : (spec.phoneNumber ?? ''),
    search: searching ? { countryCode: spec.countryCode ?? '', type: spec.type ?? '', prefix: spec.prefix || undefined } : undefined,
    target: Target.fromProperties(spec.instanceId, spec.targetArn),
    description: spec.description ?? '',
    tags: spec.tags ?? {},
    contactFlow: flow ? { arn: spec.contactFlowArn!, instanceId: flow[1], flowId: flow[2] } : undefined,
    adoptExisting: spec.adoptExisting === true,
    sourcePhoneNumberArn: importing ? spec.sourcePhoneNumberArn : undefined,
  };
}

function toSpec(properties: RawProperties, problems: string[]): PhoneNumberSpec {
  const props = properties ?? {};
  return {
    phoneNumber: readString(props, Property.PHONE_NUMBER, problems),
    instanceId: readString(props, Property.INSTANCE_ID, problems),
    targetArn: readString(props, Property.TARGET_ARN, problems),
    description: readString(props, Property.DESCRIPTION, problems),
    tags: readTags(props, problems),
    countryCode: readString(props, Property.COUNTRY_CODE, problems),
    type: readString(props, Property.TYPE, problems),
    prefix: readString(props, Property.PREFIX, problems),
    contactFlowArn: readString(props, Property.CONTACT_FLOW_ARN, problems),
    adoptExisting: readBoolean(props, Property.ADOPT_EXISTING, problems),
    sourcePhoneNumberArn: readString(props, Property.SOURCE_PHONE_NUMBER_ARN, problems),
  };
}

/** CloudFormation sends booleans as the strings "true" and "false". */
function readBoolean(props: { [key: string]: unknown }, name: string, problems: string[]): boolean | undefined {
  const value = props[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  problems.push(`${name} must be true or false; got ${JSON.stringify(value)}.`);
  return undefined;
}

function readString(props: { [key: string]: unknown }, name: string, problems: string[]): string | undefined {
  const value = props[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push(`${name} must be a string; got ${JSON.stringify(value)}.`);
    return undefined;
  }
  return value;
}

function readTags(props: { [key: string]: unknown }, problems: string[]): { [key: string]: string } | undefined {
  const value = props[Property.TAGS];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(
      `${Property.TAGS} must be a map of tag keys to values, such as {"team": "support"}; got ${JSON.stringify(value)}.`,
    );
    return undefined;
  }
  return value as { [key: string]: string };
}
