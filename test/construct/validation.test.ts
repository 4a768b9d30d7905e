/**
 * Synth-time validation: every rule, with the exact message the construct throws (each names the prop,
 * shows the bad value and says what is allowed), and tokens, which are only known at deploy time and are
 * left to the handler's own check.
 */
import { CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps } from '../../lib';
import { Property } from '../../lib/shared/contract';
import { FieldNames, validatePhoneNumberSpec } from '../../lib/shared/validation';
import { INSTANCE_ARN, INSTANCE_ID, logicalIdOf, newApp, newStack, PHONE_NUMBER } from './helpers';

/** The message the constructor throws, or undefined if it does not throw. */
function errorOf(create: () => unknown): string | undefined {
  try {
    create();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const PREFIX = 'ClaimedPhoneNumber TestStack/Number: ';
const E164_RULE =
  'phoneNumber must be in E.164 format: "+", a country code and the subscriber number, 2 to 15 digits in all, ' +
  'no spaces or dashes (for example +12065550100); got ';
const TARGET_RULE =
  'targetArn must be the ARN of a Connect instance or traffic distribution group ' +
  '(arn:aws:connect:<region>:<account>:instance/<id> or ' +
  'arn:aws:connect:<region>:<account>:traffic-distribution-group/<id>); got ';
const NO_TARGET =
  'Give exactly one target: instanceId (the Connect instance id), targetArn (an instance or traffic distribution ' +
  'group ARN), instance (an instance construct, such as a CfnInstance) or trafficDistributionGroup (such as a ' +
  'CfnTrafficDistributionGroup); got none.';
const fiftyTags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, 'value']));

describe('invalid props fail at construction with a message that names the prop, the value and the rule', () => {
  test.each<[string, Partial<ClaimedPhoneNumberProps>, string]>([
    ['a number without "+"', { phoneNumber: '2065550100' }, `${E164_RULE}"2065550100".`],
    ['a country code starting with 0', { phoneNumber: '+0123' }, `${E164_RULE}"+0123".`],
    ['a number with spaces', { phoneNumber: '+1 206 555 0100' }, `${E164_RULE}"+1 206 555 0100".`],
    ['a number of 16 digits', { phoneNumber: '+1234567890123456' }, `${E164_RULE}"+1234567890123456".`],
    [
      'an empty phone number',
      { phoneNumber: '' },
      'Give one of phoneNumber, search or sourcePhoneNumberArn (phoneNumber is required unless one of the others is given): ' +
        'phoneNumber is the number to claim in E.164 format, for example +12065550100; search finds one to claim ' +
        '(search.countryCode and search.numberType); sourcePhoneNumberArn imports an AWS End User Messaging SMS number; got none.',
    ],
    [
      'both instanceId and targetArn',
      { instanceId: 'abc', targetArn: 'arn:aws:connect:us-east-1:123456789012:instance/abc' },
      'Give exactly one target (instanceId, targetArn, instance or trafficDistributionGroup); got instanceId and targetArn.',
    ],
    ['no target at all', { instanceId: undefined }, NO_TARGET],
    ['an empty instanceId and an empty targetArn', { instanceId: '', targetArn: '' }, NO_TARGET],
    [
      'an instanceId that is an ARN',
      { instanceId: 'arn:aws:connect:us-east-1:123456789012:instance/abc' },
      'instanceId must be the instance id, not an ARN; got "arn:aws:connect:us-east-1:123456789012:instance/abc". ' +
        'Pass the ARN as targetArn, or only the id after "instance/".',
    ],
    ['an instanceId of 101 characters', { instanceId: 'i'.repeat(101) }, `instanceId must be 1 to 100 characters; got 101: "${'i'.repeat(101)}".`],
    [
      'a targetArn of an S3 bucket',
      { instanceId: undefined, targetArn: 'arn:aws:s3:::my-bucket' },
      `${TARGET_RULE}"arn:aws:s3:::my-bucket".`,
    ],
    [
      'a targetArn of a queue',
      { instanceId: undefined, targetArn: 'arn:aws:connect:us-east-1:123456789012:instance/abc/queue/q1' },
      `${TARGET_RULE}"arn:aws:connect:us-east-1:123456789012:instance/abc/queue/q1".`,
    ],
    [
      'a description of 501 characters',
      { description: 'd'.repeat(501) },
      `description must be at most 500 characters; got 501: "${'d'.repeat(60)}...${'d'.repeat(57)}".`,
    ],
    [
      '50 tags',
      { tags: fiftyTags },
      'tags may hold at most 48 tags (Connect allows 50 per number and this construct reserves 2 for its ownership tags); got 50.',
    ],
    [
      'a tag key starting with "aws:"',
      { tags: { 'aws:team': 'x' } },
      'tags key "aws:team" may not start with "aws:": that prefix is reserved for AWS.',
    ],
    [
      'a tag key with a forbidden character',
      { tags: { 'a#b': 'x' } },
      'tags key "a#b" may only contain letters, digits, spaces and _ . : / = + - @.',
    ],
    [
      'a tag key of 129 characters',
      { tags: { ['k'.repeat(129)]: 'x' } },
      `tags key "${'k'.repeat(60)}...${'k'.repeat(57)}" must be 1 to 128 characters; got 129.`,
    ],
    ['an empty tag key', { tags: { '': 'x' } }, 'tags key "" must be 1 to 128 characters; got 0.'],
    [
      'a tag value of 257 characters',
      { tags: { team: 'v'.repeat(257) } },
      `tags value of "team" must be at most 256 characters; got 257: "${'v'.repeat(60)}...${'v'.repeat(57)}".`,
    ],
    [
      'the reserved tag key claimed-phone-number:owner',
      { tags: { 'claimed-phone-number:owner': 'x' } },
      'tags key "claimed-phone-number:owner" is reserved: the handler uses it to record which resource owns the number.',
    ],
  ])('%s', (_case, overrides, message) => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number is declared with the bad value
    const error = errorOf(
      () => new ClaimedPhoneNumber(stack, 'Number', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID, ...overrides }),
    );

    // THEN construction fails with exactly this message
    expect(error).toBe(PREFIX + message);
  });

  test('every broken rule is reported in one message', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number breaks two rules at once
    const error = errorOf(() => new ClaimedPhoneNumber(stack, 'Number', { phoneNumber: '+0123', description: 'd'.repeat(501) }));

    // THEN both are reported (the user fixes them in one go)
    expect(error).toContain('phoneNumber must be in E.164 format');
    expect(error).toContain('got none.');
    expect(error).toContain('description must be at most 500 characters');
  });

  test('the same literal number declared twice in one stack fails, naming both declarations', () => {
    // GIVEN a stack with a number
    const stack = newStack();
    new ClaimedPhoneNumber(stack, 'First', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });

    // WHEN the same number is declared again
    const error = errorOf(() => new ClaimedPhoneNumber(stack, 'Second', { phoneNumber: PHONE_NUMBER, targetArn: INSTANCE_ARN }));

    // THEN it fails with this message
    expect(error).toBe(
      'Phone number +12065550100 is declared twice in stack TestStack: by TestStack/First and by TestStack/Second. ' +
        'A number can be claimed once; remove one of them.',
    );
  });
});

describe('tokens are left to deploy time', () => {
  /** Where the token comes from; `lazyValue` is what a Lazy.string produces at synth for that prop. */
  type TokenSource = [string, (stack: Stack, lazyValue: string) => string];
  const sources: TokenSource[] = [
    ['Fn.importValue', () => Fn.importValue('SharedValue')],
    ['a CfnParameter', (stack) => new CfnParameter(stack, 'Param').valueAsString],
    ['Lazy.string', (_stack, lazyValue) => Lazy.string({ produce: () => lazyValue })],
  ];
  const fields: Array<[keyof ClaimedPhoneNumberProps, string, Partial<ClaimedPhoneNumberProps>, string]> = [
    ['phoneNumber', 'PhoneNumber', {}, '+12065550199'],
    ['instanceId', 'InstanceId', {}, INSTANCE_ID],
    ['targetArn', 'TargetArn', { instanceId: undefined }, INSTANCE_ARN],
    ['description', 'PhoneNumberDescription', {}, 'Support line'],
  ];
  const cases = fields.flatMap(([prop, property, base, lazyValue]) =>
    sources.map(([source, make]) => [prop, source, property, base, lazyValue, make] as const),
  );

  test.each(cases)('%s from %s synthesizes and passes the token through as %s', (prop, _source, property, base, lazyValue, make) => {
    // GIVEN a stack and a token for the prop
    const stack = newStack('TestStack', newApp());
    const token = make(stack, lazyValue);

    // WHEN a number is declared with it
    const number = new ClaimedPhoneNumber(stack, 'Number', {
      phoneNumber: PHONE_NUMBER,
      instanceId: INSTANCE_ID,
      ...base,
      [prop]: token,
    });

    // THEN the stack synthesizes, and the template property is the resolved token
    const properties = Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties;
    expect(properties[property]).toEqual(stack.resolve(token));
  });

  test('a tag value given as a token synthesizes', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number's tag value is a parameter
    const value = new CfnParameter(stack, 'Team').valueAsString;
    const number = new ClaimedPhoneNumber(stack, 'Number', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID, tags: { team: value } });

    // THEN the tag carries the parameter
    const properties = Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties;
    expect(properties.Tags).toEqual({ team: { Ref: 'Team' } });
  });
});

describe('the shared rules under the template names the handler uses', () => {
  const TEMPLATE_NAMES: FieldNames = {
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

  test('no number source names all three, as template properties', () => {
    // GIVEN properties with a target and no number source
    // WHEN the handler's rules check them
    const problems = validatePhoneNumberSpec({ instanceId: INSTANCE_ID }, TEMPLATE_NAMES);

    // THEN the message names PhoneNumber, the search criteria and SourcePhoneNumberArn
    expect(problems).toEqual([
      'Give one of PhoneNumber, search criteria (PhoneNumberCountryCode, PhoneNumberType) or SourcePhoneNumberArn ' +
        '(PhoneNumber is required unless one of the others is given): PhoneNumber is the number to claim in E.164 format, ' +
        'for example +12065550100; search criteria (PhoneNumberCountryCode, PhoneNumberType) find one to claim; ' +
        'SourcePhoneNumberArn imports an AWS End User Messaging SMS number; got none.',
    ]);
  });

  test('a number and a search together name all three sources', () => {
    // GIVEN properties with both a number and search criteria
    // WHEN the handler's rules check them
    const problems = validatePhoneNumberSpec({ instanceId: INSTANCE_ID, phoneNumber: PHONE_NUMBER, countryCode: 'US', type: 'DID' }, TEMPLATE_NAMES);

    // THEN the message says to give one of the three
    expect(problems).toEqual([
      'Give one of PhoneNumber, search criteria (PhoneNumberCountryCode, PhoneNumberType) or SourcePhoneNumberArn, not two; ' +
        'got PhoneNumber "+12065550100" and search criteria (PhoneNumberCountryCode, PhoneNumberType).',
    ]);
  });
});
