/**
 * Importing a number from AWS End User Messaging SMS (sourcePhoneNumberArn): the template property, the
 * permissions it adds (only when a stack imports), and the validation messages.
 */
import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnTrafficDistributionGroup } from 'aws-cdk-lib/aws-connect';
import { ClaimedPhoneNumber } from '../../lib';
import { handlerRoleStatements, INSTANCE_ARN, INSTANCE_ID, newStack, Statement, TDG_ARN } from './helpers';

const SOURCE_ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef';

function resourcesFor(statements: Statement[], action: string): unknown[] {
  return statements.filter((s) => s.Effect === 'Allow' && s.Action.includes(action)).flatMap((s) => s.Resource);
}

function importing(overrides: object = {}) {
  const stack = newStack();
  new ClaimedPhoneNumber(stack, 'Imported', { sourcePhoneNumberArn: SOURCE_ARN, instanceId: INSTANCE_ID, ...overrides });
  return stack;
}

test('the source ARN becomes the SourcePhoneNumberArn property, without a PhoneNumber', () => {
  // GIVEN a number imported to an instance WHEN synthesized
  const template = Template.fromStack(importing());
  // THEN the resource names the source and the instance, and no number to claim
  const [props] = Object.values(template.findResources(ClaimedPhoneNumber.RESOURCE_TYPE)).map((r) => r.Properties);
  expect(props.SourcePhoneNumberArn).toBe(SOURCE_ARN);
  expect(props.InstanceId).toBe(INSTANCE_ID);
  expect(props.PhoneNumber).toBeUndefined();
});

test('importing allows connect:ImportPhoneNumber on the declared instance and phone numbers of the account', () => {
  // GIVEN a stack that imports WHEN its handler role is read
  const resources = resourcesFor(handlerRoleStatements(importing({ instanceId: undefined, targetArn: INSTANCE_ARN })), 'connect:ImportPhoneNumber');
  // THEN the instance and phone-number/* are the only resources
  expect(resources).toContain(INSTANCE_ARN);
  expect(JSON.stringify(resources)).toContain(':phone-number/*');
  expect(resources).toHaveLength(2);
});

test('importing allows reading the source number in End User Messaging, that number alone', () => {
  // GIVEN a stack that imports WHEN its handler role is read
  const resources = resourcesFor(handlerRoleStatements(importing()), 'sms-voice:DescribePhoneNumbers');
  // THEN only the source ARN is allowed
  expect(resources).toEqual([SOURCE_ARN]);
});

test('a stack that does not import gets no import permission', () => {
  // GIVEN a stack that only claims
  const stack = newStack();
  new ClaimedPhoneNumber(stack, 'Claimed', { phoneNumber: '+12065550100', instanceId: INSTANCE_ID });
  // WHEN its actions are collected
  const actions = handlerRoleStatements(stack).flatMap((s) => s.Action);
  // THEN neither import action is there
  expect(actions).not.toContain('connect:ImportPhoneNumber');
  expect(actions).not.toContain('sms-voice:DescribePhoneNumbers');
});

test('a source ARN together with a phone number is refused', () => {
  // GIVEN/WHEN both are declared THEN the message names both
  expect(() => importing({ phoneNumber: '+12065550100' })).toThrow(
    'Give either sourcePhoneNumberArn (a number to import) or phoneNumber (a number to claim), not both; got phoneNumber "+12065550100".',
  );
});

test('a source ARN together with a search is refused', () => {
  // GIVEN/WHEN both are declared THEN the message names the search props
  expect(() => importing({ search: { countryCode: 'US', numberType: 'DID' } })).toThrow(
    'Give either sourcePhoneNumberArn (a number to import) or search criteria (search.countryCode, search.numberType), not both.',
  );
});

test('a source ARN that is not an End User Messaging phone number is refused', () => {
  // GIVEN/WHEN a Connect phone-number ARN is given as the source THEN the expected form is named
  expect(() => importing({ sourcePhoneNumberArn: 'arn:aws:connect:us-east-1:123456789012:phone-number/abc' })).toThrow(
    'sourcePhoneNumberArn must be the ARN of an AWS End User Messaging SMS phone number (arn:aws:sms-voice:<region>:<account>:phone-number/<id>); ' +
      'got "arn:aws:connect:us-east-1:123456789012:phone-number/abc".',
  );
});

test('importing to a traffic distribution group ARN is refused', () => {
  // GIVEN/WHEN a TDG is the target THEN ImportPhoneNumber's InstanceId-only rule is named
  expect(() => importing({ instanceId: undefined, targetArn: TDG_ARN })).toThrow(
    'sourcePhoneNumberArn imports the number to an Amazon Connect instance only (ImportPhoneNumber takes an InstanceId, not a ' +
      `traffic distribution group); got targetArn "${TDG_ARN}".`,
  );
});

test('importing to a typed traffic distribution group is refused even though its ARN is a token', () => {
  // GIVEN a CfnTrafficDistributionGroup
  const stack = newStack();
  const group = new CfnTrafficDistributionGroup(stack, 'Group', { instanceArn: INSTANCE_ARN, name: 'g' });
  // WHEN it is the target of an import THEN it is refused
  expect(() => new ClaimedPhoneNumber(stack, 'Imported', { sourcePhoneNumberArn: SOURCE_ARN, trafficDistributionGroup: group })).toThrow(
    'sourcePhoneNumberArn imports the number to an Amazon Connect instance only (ImportPhoneNumber takes an InstanceId, not a ' +
      'traffic distribution group); got trafficDistributionGroup.',
  );
});

test('a source ARN that is a token is not validated', () => {
  // GIVEN a source ARN known only at deploy time
  const stack = newStack();
  const source = new CfnParameter(stack, 'Source').valueAsString;
  // WHEN declared THEN synth accepts it
  expect(() => new ClaimedPhoneNumber(stack, 'Imported', { sourcePhoneNumberArn: source, instanceId: INSTANCE_ID })).not.toThrow();
});
