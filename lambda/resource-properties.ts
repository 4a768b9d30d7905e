/**
 * Reads the resource properties CloudFormation sends (scalars arrive as strings; Tags as a map) into the
 * desired state of a number, validating them with the same rules the construct applies at synth time.
 * A hand-edited template, or a token that resolved to a bad value, fails here with a clear reason before
 * any Connect call.
 */
import { Property } from '../lib/shared/contract';
import { FieldNames, PhoneNumberSpec, validatePhoneNumberSpec } from '../lib/shared/validation';
import { InvalidPropertiesError } from './errors';
import { Target } from './target';

export interface DesiredNumber {
  readonly phoneNumber: string;
  readonly target: Target;
  /** '' when none is declared: removing a description clears it. */
  readonly description: string;
  /** The user's tags only; the ownership tag is added separately. */
  readonly tags: { [key: string]: string };
}

const TEMPLATE_NAMES: FieldNames = {
  phoneNumber: Property.PHONE_NUMBER,
  instanceId: Property.INSTANCE_ID,
  targetArn: Property.TARGET_ARN,
  description: Property.DESCRIPTION,
  tags: Property.TAGS,
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
  return {
    phoneNumber: spec.phoneNumber ?? '',
    target: Target.fromProperties(spec.instanceId, spec.targetArn),
    description: spec.description ?? '',
    tags: spec.tags ?? {},
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
  };
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
