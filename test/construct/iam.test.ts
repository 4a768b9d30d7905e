/**
 * The handler role's permissions: least privilege. Claiming and moving are allowed only to the targets
 * the stack declares; nothing mutating is allowed on every resource; logs go to the handler's own groups.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber } from '../../lib';
import {
  handlerFunctions,
  handlerRoleLogicalId,
  handlerRoleStatements,
  INSTANCE_ARN,
  INSTANCE_ID,
  newStack,
  stackArn,
  Statement,
  TDG_ARN,
} from './helpers';


/** A stack with one number claimed to an instance by id and one to a traffic distribution group. */
function stackWithBothTargets() {
  const stack = newStack();
  new ClaimedPhoneNumber(stack, 'ByInstance', { phoneNumber: '+12065550100', instanceId: INSTANCE_ID });
  new ClaimedPhoneNumber(stack, 'ByGroup', { phoneNumber: '+12065550101', targetArn: TDG_ARN });
  return stack;
}

/** The resources of every statement that allows `action`. */
function resourcesFor(statements: Statement[], action: string): unknown[] {
  return statements.filter((s) => s.Effect === 'Allow' && s.Action.includes(action)).flatMap((s) => s.Resource);
}

test('no statement allows connect:* or *', () => {
  // GIVEN a stack with numbers
  const statements = handlerRoleStatements(stackWithBothTargets());

  // WHEN every action is collected
  const actions = statements.flatMap((s) => s.Action);

  // THEN there are some, and no wildcard among them
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.filter((a) => a === '*' || a === 'connect:*')).toEqual([]);
});

test('no mutating Connect action is allowed on every resource', () => {
  // GIVEN a stack with numbers
  const statements = handlerRoleStatements(stackWithBothTargets());

  // WHEN the statements whose Resource includes "*" are read
  const onEverything = statements.filter((s) => s.Resource.includes('*')).flatMap((s) => s.Action);

  // THEN they only describe, list or search
  expect(onEverything.filter((a) => a.startsWith('connect:') && !/^connect:(Describe|List|Search)/.test(a))).toEqual([]);
});

test('claiming is allowed on the instance ARN built from instanceId, the given target ARN and phone numbers only', () => {
  // GIVEN a stack with a number claimed by instance id and one by target ARN
  const statements = handlerRoleStatements(stackWithBothTargets());

  // WHEN the resources of ClaimPhoneNumber are read
  const resources = resourcesFor(statements, 'connect:ClaimPhoneNumber');

  // THEN they are exactly the instance (in the stack's partition, Region and account), the group and phone-number/*
  expect(resources).toHaveLength(3);
  expect(resources).toEqual(expect.arrayContaining([stackArn(`instance/${INSTANCE_ID}`), TDG_ARN, stackArn('phone-number/*')]));
});

test('moves and flow associations are allowed on targets and flows of the stack\'s own account and Region, so rollbacks can revert them', () => {
  // GIVEN a stack with numbers
  const statements = handlerRoleStatements(stackWithBothTargets());

  // WHEN the resources of UpdatePhoneNumber and AssociatePhoneNumberContactFlow are read
  for (const action of ['connect:UpdatePhoneNumber', 'connect:AssociatePhoneNumberContactFlow']) {
    // THEN they are phone numbers, instances, traffic distribution groups and flows of this account and Region
    expect(resourcesFor(statements, action)).toEqual([
      stackArn('phone-number/*'),
      stackArn('instance/*'),
      stackArn('traffic-distribution-group/*'),
      stackArn('instance/*/contact-flow/*'),
    ]);
  }
});

test('a target shared by two numbers is listed once', () => {
  // GIVEN a stack with two numbers on one instance id and two on one instance ARN
  const stack = newStack();
  new ClaimedPhoneNumber(stack, 'A', { phoneNumber: '+12065550100', instanceId: INSTANCE_ID });
  new ClaimedPhoneNumber(stack, 'B', { phoneNumber: '+12065550101', instanceId: INSTANCE_ID });
  new ClaimedPhoneNumber(stack, 'C', { phoneNumber: '+12065550102', targetArn: INSTANCE_ARN });
  new ClaimedPhoneNumber(stack, 'D', { phoneNumber: '+12065550103', targetArn: INSTANCE_ARN });

  // WHEN the ClaimPhoneNumber resources are read
  const resources = resourcesFor(handlerRoleStatements(stack), 'connect:ClaimPhoneNumber').map((r) => JSON.stringify(r));

  // THEN each target appears once
  expect(resources.filter((r) => r === JSON.stringify(stackArn(`instance/${INSTANCE_ID}`)))).toHaveLength(1);
  expect(resources.filter((r) => r === JSON.stringify(INSTANCE_ARN))).toHaveLength(1);
  expect(resources).toHaveLength(3);
});

test('an empty targetArn next to an instanceId allows the instance, not an empty resource', () => {
  // GIVEN a stack
  const stack = newStack();

  // WHEN a number gets an instance id and an empty string as target ARN
  new ClaimedPhoneNumber(stack, 'Number', { phoneNumber: '+12065550100', instanceId: INSTANCE_ID, targetArn: '' });

  // THEN the handler may claim to that instance (the one the handler uses), and no "" resource is granted
  const resources = resourcesFor(handlerRoleStatements(stack), 'connect:ClaimPhoneNumber');
  expect(resources).toContainEqual(stackArn(`instance/${INSTANCE_ID}`));
  expect(resources).not.toContain('');
});

test('log permissions apply only to the two handler log groups', () => {
  // GIVEN a stack with numbers
  const stack = stackWithBothTargets();
  const template = Template.fromStack(stack);

  // WHEN the resources of every logs: statement are read
  const logStatements = handlerRoleStatements(stack, template).filter((s) => s.Action.some((a) => a.startsWith('logs:')));
  const logResources = logStatements.flatMap((s) => s.Resource);

  // THEN they are exactly the ARNs of the log groups the two handler functions log to
  const handlerLogGroups = Object.values(handlerFunctions(stack, template)).map((fn) => ({
    'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'],
  }));
  expect(handlerLogGroups).toHaveLength(2);
  expect(logResources).toHaveLength(2);
  expect(logResources).toEqual(expect.arrayContaining(handlerLogGroups));
});

test('the handler role has no managed policy', () => {
  // GIVEN a stack with numbers
  const stack = stackWithBothTargets();
  const template = Template.fromStack(stack);

  // WHEN the handler role and managed policies are read
  const role = template.toJSON().Resources[handlerRoleLogicalId(stack)];
  const managedPolicies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
    JSON.stringify(p.Properties.Roles ?? []).includes(handlerRoleLogicalId(stack)),
  );

  // THEN it is a role without ManagedPolicyArns, and no managed policy attaches to it
  expect(role.Type).toBe('AWS::IAM::Role');
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  expect(managedPolicies).toEqual([]);
});
