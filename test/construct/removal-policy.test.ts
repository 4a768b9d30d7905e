/**
 * applyRemovalPolicy on the construct (as on any L2 resource) and the policies a custom resource cannot have;
 * the rollback-safety permissions the handler needs to tell a rollback's Delete from a user's.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber } from '../../lib';
import { handlerRoleStatements, logicalIdOf, newStack, validProps } from './helpers';

const policiesOf = (number: ClaimedPhoneNumber) => {
  const resource = Template.fromStack(number.stack).toJSON().Resources[logicalIdOf(number)];
  return { deletion: resource.DeletionPolicy, updateReplace: resource.UpdateReplacePolicy };
};

describe('applyRemovalPolicy', () => {
  test('RETAIN applied after construction keeps the number on delete and on replacement', () => {
    // GIVEN a number declared with the default policy
    const number = new ClaimedPhoneNumber(newStack(), 'Number', validProps());
    // WHEN RETAIN is applied to the construct
    number.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // THEN both policies of its custom resource are Retain
    expect(policiesOf(number)).toEqual({ deletion: 'Retain', updateReplace: 'Retain' });
  });

  test('DESTROY applied after construction overrides the RETAIN default of an adopted number', () => {
    // GIVEN an adopted number (RETAIN by default)
    const number = new ClaimedPhoneNumber(newStack(), 'Number', validProps({ adoptExisting: true }));
    // WHEN DESTROY is applied
    number.applyRemovalPolicy(RemovalPolicy.DESTROY);
    // THEN both policies are Delete
    expect(policiesOf(number)).toEqual({ deletion: 'Delete', updateReplace: 'Delete' });
  });

  test('SNAPSHOT is refused with the construct path and the policies that work', () => {
    // GIVEN a number
    const number = new ClaimedPhoneNumber(newStack(), 'Number', validProps());
    // WHEN SNAPSHOT is applied THEN it throws before anything reaches the template
    expect(() => number.applyRemovalPolicy(RemovalPolicy.SNAPSHOT)).toThrow(
      'ClaimedPhoneNumber TestStack/Number: applyRemovalPolicy() got RemovalPolicy.SNAPSHOT, which a phone number cannot have ' +
        '(CloudFormation takes snapshots of storage resources only). Use RemovalPolicy.RETAIN to keep the number claimed ' +
        'when the resource is removed, or RemovalPolicy.DESTROY to release it.',
    );
    expect(policiesOf(number)).toEqual({ deletion: 'Delete', updateReplace: 'Delete' });
  });
});

describe('removalPolicy prop', () => {
  test('SNAPSHOT is refused in the constructor', () => {
    // GIVEN a stack WHEN a number is declared with SNAPSHOT THEN the constructor throws the same explanation
    expect(() => new ClaimedPhoneNumber(newStack(), 'Number', validProps({ removalPolicy: RemovalPolicy.SNAPSHOT }))).toThrow(
      /^ClaimedPhoneNumber TestStack\/Number: removalPolicy got RemovalPolicy.SNAPSHOT, which a phone number cannot have/,
    );
  });
});

describe('stack read permissions', () => {
  test('the handler may read its own stack (status, template, one resource, events) and nothing else of CloudFormation', () => {
    // GIVEN a number
    const number = new ClaimedPhoneNumber(newStack(), 'Number', validProps());
    // WHEN the handler role's statements are read
    const cloudFormation = handlerRoleStatements(number.stack).filter((statement) => statement.Action.some((action) => action.startsWith('cloudformation:')));
    // THEN exactly the four read-only actions, on the stack's own id
    expect(cloudFormation).toEqual([
      {
        Effect: 'Allow',
        Action: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:DescribeStackResource', 'cloudformation:DescribeStackEvents'],
        Resource: [{ Ref: 'AWS::StackId' }],
      },
    ]);
  });
});
