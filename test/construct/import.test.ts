/**
 * ClaimedPhoneNumber.fromPhoneNumberArn: a reference to a number managed elsewhere, which adds nothing
 * to the template.
 */
import { CfnParameter, CfnWaitConditionHandle } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber } from '../../lib';
import { newStack } from './helpers';

const ARN = 'arn:aws:connect:us-west-2:111122223333:phone-number/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

test('phoneNumberArn of an imported number is the given ARN', () => {
  // GIVEN a stack
  const stack = newStack();

  // WHEN a number is imported by ARN
  const imported = ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Imported', ARN);

  // THEN its ARN, and its phoneNumberRef's, is that ARN
  expect(imported.phoneNumberArn).toBe(ARN);
  expect(imported.phoneNumberRef.phoneNumberArn).toBe(ARN);
});

test('phoneNumberId of an imported literal ARN is the part after the last "/"', () => {
  // GIVEN a stack
  const stack = newStack();

  // WHEN a number is imported by a literal ARN
  const imported = ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Imported', ARN);

  // THEN its id is a literal too
  expect(imported.phoneNumberId).toBe('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
});

test('phoneNumberId of an imported token ARN is an Fn::Select of an Fn::Split on "/"', () => {
  // GIVEN a stack with a parameter holding the ARN
  const stack = newStack();
  const arn = new CfnParameter(stack, 'NumberArn').valueAsString;

  // WHEN the number is imported by it
  const imported = ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Imported', arn);

  // THEN its id is computed by CloudFormation
  expect(stack.resolve(imported.phoneNumberId)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'NumberArn' }] }] });
});

test('an imported number takes its account and Region from the ARN', () => {
  // GIVEN a stack
  const stack = newStack();

  // WHEN a number of another account and Region is imported
  const imported = ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Imported', ARN);

  // THEN its environment is the ARN's
  expect(imported.env).toEqual({ account: '111122223333', region: 'us-west-2' });
});

test('importing a number adds no resource to the template', () => {
  // GIVEN a stack with one resource of its own (a template needs at least one)
  const stack = newStack();
  new CfnWaitConditionHandle(stack, 'Marker');

  // WHEN a number is imported
  ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Imported', ARN);

  // THEN that resource is still the only one: no number, no provider
  expect(Object.keys(Template.fromStack(stack).toJSON().Resources)).toEqual(['Marker']);
});

test.each([
  ['an instance ARN', 'arn:aws:connect:us-west-2:111122223333:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
  ['a phone number ARN under an instance', 'arn:aws:connect:us-west-2:111122223333:instance/i-1/phone-number/0a1b2c3d'],
  ['an ARN of another service', 'arn:aws:sms-voice:us-west-2:111122223333:phone-number/phone-0a1b2c3d'],
  ['a bare phone number id', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
])('importing %s fails at synth, naming the construct path and the value', (_case, arn) => {
  // GIVEN a stack with a nested construct
  const scope = new Construct(newStack(), 'Numbers');

  // WHEN something that is not a Connect phone number ARN is imported there
  const attempt = () => ClaimedPhoneNumber.fromPhoneNumberArn(scope, 'Legacy', arn);

  // THEN the error names the path of the import, the rule and the value
  expect(attempt).toThrow(
    new Error(
      'ClaimedPhoneNumber.fromPhoneNumberArn TestStack/Numbers/Legacy: phoneNumberArn must be the ARN of an Amazon Connect ' +
        `phone number (arn:aws:connect:<region>:<account>:phone-number/<id>); got ${JSON.stringify(arn)}.`,
    ),
  );
});

test('a phone number ARN of another partition is accepted', () => {
  // GIVEN a stack
  const stack = newStack();

  // WHEN a number of the aws-us-gov partition is imported
  const imported = ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Imported', 'arn:aws-us-gov:connect:us-gov-west-1:111122223333:phone-number/abc-123');

  // THEN its id is the part after "phone-number/"
  expect(imported.phoneNumberId).toBe('abc-123');
});
