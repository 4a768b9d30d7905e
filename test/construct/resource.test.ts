/**
 * The template contract of one number: the custom resource's type and property names (the handler reads
 * them, so renaming one breaks every deployed stack), its attributes, and its removal policy.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnPhoneNumber, IPhoneNumberRef } from 'aws-cdk-lib/aws-connect';
import { ClaimedPhoneNumber } from '../../lib';
import { INSTANCE_ID, logicalIdOf, newStack, PHONE_NUMBER, TDG_ARN, validProps } from './helpers';

describe('the Custom::ClaimedPhoneNumber resource', () => {
  test('each number becomes one resource of type Custom::ClaimedPhoneNumber', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN it declares two numbers
    new ClaimedPhoneNumber(stack, 'First', validProps({ phoneNumber: '+12065550100' }));
    new ClaimedPhoneNumber(stack, 'Second', validProps({ phoneNumber: '+12065550101' }));

    // THEN the template holds two resources of that exact type, which RESOURCE_TYPE names
    expect(ClaimedPhoneNumber.RESOURCE_TYPE).toBe('Custom::ClaimedPhoneNumber');
    Template.fromStack(stack).resourceCountIs('Custom::ClaimedPhoneNumber', 2);
  });

  test('a number claimed to an instance has exactly the properties PhoneNumber, InstanceId, PhoneNumberDescription and Tags', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number is declared with an instance id, a description and tags
    const number = new ClaimedPhoneNumber(stack, 'Number', {
      phoneNumber: PHONE_NUMBER,
      instanceId: INSTANCE_ID,
      description: 'Support line',
      tags: { team: 'support', env: 'prod' },
    });

    // THEN those are the only properties besides ServiceToken, under these exact names
    const properties = { ...Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties };
    delete properties.ServiceToken;
    expect(properties).toEqual({
      PhoneNumber: PHONE_NUMBER,
      InstanceId: INSTANCE_ID,
      PhoneNumberDescription: 'Support line',
      Tags: { team: 'support', env: 'prod' },
    });
  });

  test('a number claimed to a target ARN has TargetArn and no InstanceId', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number is declared with a traffic distribution group ARN
    const number = new ClaimedPhoneNumber(stack, 'Number', { phoneNumber: PHONE_NUMBER, targetArn: TDG_ARN });

    // THEN the template passes the ARN as TargetArn and no InstanceId
    const properties = Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties;
    expect(properties.TargetArn).toBe(TDG_ARN);
    expect(properties).not.toHaveProperty('InstanceId');
  });

  test('a number without tags or description has no Tags and no PhoneNumberDescription property', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number is declared with neither tags nor a description
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // THEN both properties are left out (rather than rendered empty)
    const properties = Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties;
    expect(Object.keys(properties).sort()).toEqual(['InstanceId', 'PhoneNumber', 'ServiceToken']);
  });

  test('an empty targetArn next to an instanceId is left out of the template', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number gets an instance id and an empty string as target ARN (as from an unset config value)
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps({ targetArn: '' }));

    // THEN the template names the instance only
    const properties = Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)].Properties;
    expect(properties.InstanceId).toBe(INSTANCE_ID);
    expect(properties).not.toHaveProperty('TargetArn');
  });

  test("ServiceToken is the ARN of the provider framework's onEvent function, which calls the handler's onEvent", () => {
    // GIVEN a stack with a number
    const stack = newStack();
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // WHEN it is synthesized
    const template = Template.fromStack(stack);

    // THEN ServiceToken points at the framework's onEvent function of the stack's provider
    const frameworkOnEvent = template.findResources('AWS::Lambda::Function', {
      Properties: { Handler: 'framework.onEvent', Description: `AWS CDK resource provider framework - onEvent (${stack.stackName}/ClaimedPhoneNumberProvider/Provider)` },
    });
    const [frameworkId] = Object.keys(frameworkOnEvent);
    expect(Object.keys(frameworkOnEvent)).toHaveLength(1);
    expect(template.toJSON().Resources[logicalIdOf(number)].Properties.ServiceToken).toEqual({
      'Fn::GetAtt': [frameworkId, 'Arn'],
    });
    // AND that function forwards to the function whose handler is index.onEvent
    const userOnEvent = frameworkOnEvent[frameworkId].Properties.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN;
    const userOnEventId = userOnEvent['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[userOnEventId].Properties.Handler).toBe('index.onEvent');
  });
});

describe('attributes', () => {
  test('phoneNumberArn is a Ref to the resource', () => {
    // GIVEN a number
    const stack = newStack();
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // WHEN its ARN is resolved
    const arn = stack.resolve(number.phoneNumberArn);

    // THEN it is the resource's Ref (the physical id the handler returns is the number's ARN)
    expect(arn).toEqual({ Ref: logicalIdOf(number) });
  });

  test('phoneNumberId is Fn::GetAtt PhoneNumberId of the resource', () => {
    // GIVEN a number
    const stack = newStack();
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // WHEN its id is resolved
    const id = stack.resolve(number.phoneNumberId);

    // THEN it reads the PhoneNumberId attribute
    expect(id).toEqual({ 'Fn::GetAtt': [logicalIdOf(number), 'PhoneNumberId'] });
  });

  test('phoneNumber is Fn::GetAtt PhoneNumber of the resource', () => {
    // GIVEN a number
    const stack = newStack();
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // WHEN the claimed number is resolved
    const claimed = stack.resolve(number.phoneNumber);

    // THEN it reads the PhoneNumber attribute (as Connect reports it), not the literal prop
    expect(claimed).toEqual({ 'Fn::GetAtt': [logicalIdOf(number), 'PhoneNumber'] });
  });

  test('phoneNumberRef.phoneNumberArn is the same ARN as phoneNumberArn', () => {
    // GIVEN a number
    const stack = newStack();
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // WHEN both are resolved
    const fromRef = stack.resolve(number.phoneNumberRef.phoneNumberArn);

    // THEN they are equal
    expect(fromRef).toEqual(stack.resolve(number.phoneNumberArn));
    expect(fromRef).toEqual({ Ref: logicalIdOf(number) });
  });

  test('a number can be passed where aws_connect.IPhoneNumberRef is expected', () => {
    // GIVEN a function typed to take any IPhoneNumberRef (aws-cdk-lib's own helper)
    const arnOf: (ref: IPhoneNumberRef) => string = CfnPhoneNumber.arnForPhoneNumber;
    const stack = newStack();
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // WHEN the number is passed to it (this line only compiles if the number is an IPhoneNumberRef)
    const arn = arnOf(number);

    // THEN it yields the number's ARN
    expect(stack.resolve(arn)).toEqual({ Ref: logicalIdOf(number) });
  });
});

describe('removalPolicy', () => {
  test('by default the number is released when the resource is deleted or replaced', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number is declared without a removal policy
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps());

    // THEN both policies are Delete
    const resource = Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)];
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.UpdateReplacePolicy).toBe('Delete');
  });

  test('with RemovalPolicy.RETAIN the number stays claimed when the resource is deleted or replaced', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN a number is declared with RETAIN
    const number = new ClaimedPhoneNumber(stack, 'Number', validProps({ removalPolicy: RemovalPolicy.RETAIN }));

    // THEN both policies are Retain
    const resource = Template.fromStack(stack).toJSON().Resources[logicalIdOf(number)];
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });
});
