/**
 * The per-stack provider: one set of functions and roles however many numbers the stack has, at a
 * construct path that must never change (CloudFormation cannot change a custom resource's ServiceToken),
 * running the prebuilt handler bundle without bundling anything at synth.
 */
import { FileSystem, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ClaimedPhoneNumber } from '../../lib';
import { HANDLER_BUNDLE_DIR, PROVIDER_ID } from '../../lib/claimed-phone-number-provider';
import { handlerFunctions, logicalIdOf, newApp, newStack, validProps } from './helpers';

function stackWithNumbers(count: number, app = newApp()): Stack {
  const stack = newStack(`Stack${count}`, app);
  for (let i = 0; i < count; i++) {
    new ClaimedPhoneNumber(stack, `Number${i}`, validProps({ phoneNumber: `+1206555${String(i).padStart(4, '0')}` }));
  }
  return stack;
}

describe('one provider per stack', () => {
  test('a stack with twenty numbers has as many Lambda functions and IAM roles as a stack with one', () => {
    // GIVEN a stack with one number and a stack with twenty
    const one = Template.fromStack(stackWithNumbers(1));
    const twenty = Template.fromStack(stackWithNumbers(20));

    // WHEN their functions and roles are counted
    const count = (template: Template, type: string) => Object.keys(template.findResources(type)).length;

    // THEN the counts are equal (and the twenty numbers are all there)
    twenty.resourceCountIs('Custom::ClaimedPhoneNumber', 20);
    expect(count(twenty, 'AWS::Lambda::Function')).toBe(count(one, 'AWS::Lambda::Function'));
    expect(count(twenty, 'AWS::IAM::Role')).toBe(count(one, 'AWS::IAM::Role'));
  });

  test('all numbers of a stack share one ServiceToken', () => {
    // GIVEN a stack with three numbers
    const stack = stackWithNumbers(3);

    // WHEN the ServiceTokens are collected
    const tokens = Object.values(Template.fromStack(stack).findResources('Custom::ClaimedPhoneNumber')).map((r) =>
      JSON.stringify(r.Properties.ServiceToken),
    );

    // THEN they are all the same
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
  });

  test('two stacks of one app each get their own provider, with no cross-stack reference', () => {
    // GIVEN one app
    const app = newApp();

    // WHEN two stacks of it declare a number each
    const first = stackWithNumbers(1, app);
    const second = newStack('Other', app);
    const number = new ClaimedPhoneNumber(second, 'Number', validProps({ phoneNumber: '+12065559999' }));

    // THEN each stack has its own provider, and the second stack's number uses its own
    expect(first.node.tryFindChild(PROVIDER_ID)).toBeDefined();
    expect(second.node.tryFindChild(PROVIDER_ID)).toBeDefined();
    const secondTemplate = Template.fromStack(second);
    const serviceToken = secondTemplate.toJSON().Resources[logicalIdOf(number)].Properties.ServiceToken;
    expect(Object.keys(secondTemplate.findResources('AWS::Lambda::Function'))).toContain(serviceToken['Fn::GetAtt'][0]);
    expect(JSON.stringify(secondTemplate.toJSON())).not.toContain('Fn::ImportValue');
    expect(Template.fromStack(first).toJSON().Outputs).toBeUndefined();
  });

  test('the provider lives at <Stack>/ClaimedPhoneNumberProvider, so the ServiceToken logical id never changes', () => {
    // GIVEN a stack named TestStack, with a number nested inside another construct
    const stack = newStack('TestStack');
    const number = new ClaimedPhoneNumber(new Construct(stack, 'Nested'), 'Number', validProps());

    // WHEN it is synthesized
    const template = Template.fromStack(stack);

    // THEN the provider sits directly under the stack (pinned: changing it breaks every deployed number)
    expect(PROVIDER_ID).toBe('ClaimedPhoneNumberProvider');
    expect(stack.node.findChild('ClaimedPhoneNumberProvider').node.path).toBe('TestStack/ClaimedPhoneNumberProvider');
    expect(template.toJSON().Resources[logicalIdOf(number)].Properties.ServiceToken).toEqual({
      'Fn::GetAtt': ['ClaimedPhoneNumberProviderframeworkonEvent0B42B265', 'Arn'],
    });
  });
});

describe('the handler functions', () => {
  test('both run on Node.js 22 or 24', () => {
    // GIVEN a stack with a number
    const stack = stackWithNumbers(1);

    // WHEN the handler functions are read
    const functions = Object.values(handlerFunctions(stack));

    // THEN there are two, on a supported Node.js runtime
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(['nodejs22.x', 'nodejs24.x']).toContain(fn.Properties.Runtime);
    }
  });

  test('their handlers are index.onEvent and index.isComplete', () => {
    // GIVEN a stack with a number
    const stack = stackWithNumbers(1);

    // WHEN the handler functions are read
    const handlers = Object.values(handlerFunctions(stack)).map((fn) => fn.Properties.Handler);

    // THEN one runs onEvent and one isComplete
    expect(handlers.sort()).toEqual(['index.isComplete', 'index.onEvent']);
  });

  test('both take their code from one asset whose hash is the fingerprint of dist/handler', () => {
    // GIVEN a stack with a number
    const stack = stackWithNumbers(1);

    // WHEN the handler functions' code is read
    const keys = Object.values(handlerFunctions(stack)).map((fn) => fn.Properties.Code.S3Key);

    // THEN both use the same object, named after the content hash of the prebuilt bundle directory
    expect(keys).toEqual([`${FileSystem.fingerprint(HANDLER_BUNDLE_DIR)}.zip`, `${FileSystem.fingerprint(HANDLER_BUNDLE_DIR)}.zip`]);
  });

  test('the asset is not bundled at synth', () => {
    // GIVEN an app that records asset metadata, as the CDK CLI does
    const app = newApp({ context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = stackWithNumbers(1, app);

    // WHEN the handler functions' metadata is read
    const metadata = Object.values(handlerFunctions(stack)).map((fn) => fn.Metadata);

    // THEN the asset is dist/handler as is: no Docker, no esbuild at synth
    expect(metadata).toHaveLength(2);
    for (const entry of metadata) {
      expect(entry['aws:asset:is-bundled']).toBe(false);
      expect(entry['aws:asset:property']).toBe('Code');
    }
  });

  test('two separately synthesized apps get the same asset hash', () => {
    // GIVEN two independent apps with the same stack
    const keyOf = (stack: Stack) => Object.values(handlerFunctions(stack))[0].Properties.Code.S3Key;

    // WHEN both are synthesized
    const first = keyOf(stackWithNumbers(1, newApp()));
    const second = keyOf(stackWithNumbers(1, newApp()));

    // THEN the hash is the same (it depends on the bundle's content only)
    expect(first).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(second).toBe(first);
  });
});

describe('the provider log groups', () => {
  type LogGroups = { [id: string]: { DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties?: { RetentionInDays?: number } } };
  const logGroupsOf = (stack: Stack): LogGroups => Template.fromStack(stack).findResources('AWS::Logs::LogGroup') as LogGroups;

  test('by default the four log groups keep one month of events and are retained when the stack is deleted', () => {
    // GIVEN a stack with a number, and no provider settings
    const stack = stackWithNumbers(1);

    // WHEN its log groups are read
    const logGroups = Object.values(logGroupsOf(stack));

    // THEN there are four (two handler functions, the framework, the waiter), each retained, with 30 days
    expect(logGroups).toHaveLength(4);
    for (const logGroup of logGroups) {
      expect(logGroup.DeletionPolicy).toBe('Retain');
      expect(logGroup.UpdateReplacePolicy).toBe('Retain');
      expect(logGroup.Properties?.RetentionInDays).toBe(30);
    }
  });

  test('configureProvider before the numbers sets the removal policy and retention of all four log groups', () => {
    // GIVEN a stack whose provider is configured before any number is declared
    const stack = newStack();
    ClaimedPhoneNumber.configureProvider(stack, { logRemovalPolicy: RemovalPolicy.DESTROY, logRetention: RetentionDays.ONE_WEEK });

    // WHEN a number is declared in a construct nested in the stack
    new ClaimedPhoneNumber(new Construct(stack, 'Nested'), 'Number', validProps());

    // THEN all four log groups are deleted with the stack and keep a week of events
    const logGroups = Object.values(logGroupsOf(stack));
    expect(logGroups).toHaveLength(4);
    for (const logGroup of logGroups) {
      expect(logGroup.DeletionPolicy).toBe('Delete');
      expect(logGroup.UpdateReplacePolicy).toBe('Delete');
      expect(logGroup.Properties?.RetentionInDays).toBe(7);
    }
  });

  test('configureProvider after the numbers applies to the existing provider', () => {
    // GIVEN a stack with a number
    const stack = stackWithNumbers(1);

    // WHEN its provider is configured afterwards, from a construct inside the stack
    ClaimedPhoneNumber.configureProvider(new Construct(stack, 'Settings'), { logRemovalPolicy: RemovalPolicy.DESTROY });

    // THEN the log groups are deleted with the stack, and keep their default retention
    const logGroups = Object.values(logGroupsOf(stack));
    expect(logGroups.map((logGroup) => logGroup.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete', 'Delete']);
    expect(logGroups.map((logGroup) => logGroup.Properties?.RetentionInDays)).toEqual([30, 30, 30, 30]);
  });

  test('a later configureProvider call overrides only the options it names', () => {
    // GIVEN a stack configured with DESTROY and a week of retention
    const stack = newStack();
    ClaimedPhoneNumber.configureProvider(stack, { logRemovalPolicy: RemovalPolicy.DESTROY, logRetention: RetentionDays.ONE_WEEK });

    // WHEN a later call sets only the retention, and a number is declared
    ClaimedPhoneNumber.configureProvider(stack, { logRetention: RetentionDays.THREE_MONTHS });
    new ClaimedPhoneNumber(stack, 'Number', validProps());

    // THEN the removal policy is still DESTROY, and the retention is the later one
    const logGroups = Object.values(logGroupsOf(stack));
    expect(logGroups.map((logGroup) => logGroup.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete', 'Delete']);
    expect(logGroups.map((logGroup) => logGroup.Properties?.RetentionInDays)).toEqual([90, 90, 90, 90]);
  });

  test('RetentionDays.INFINITE leaves RetentionInDays out, so the events never expire', () => {
    // GIVEN a stack whose provider keeps logs forever
    const stack = newStack();
    ClaimedPhoneNumber.configureProvider(stack, { logRetention: RetentionDays.INFINITE });

    // WHEN a number is declared
    new ClaimedPhoneNumber(stack, 'Number', validProps());

    // THEN no log group has a retention
    expect(Object.values(logGroupsOf(stack)).map((logGroup) => logGroup.Properties?.RetentionInDays)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('the settings of one stack do not reach another stack of the app', () => {
    // GIVEN an app with two stacks, only the first configured
    const app = newApp();
    const configured = newStack('Configured', app);
    ClaimedPhoneNumber.configureProvider(configured, { logRemovalPolicy: RemovalPolicy.DESTROY });
    new ClaimedPhoneNumber(configured, 'Number', validProps());

    // WHEN the second declares a number too
    const other = stackWithNumbers(1, app);

    // THEN the second keeps the default (retained) log groups
    expect(Object.values(logGroupsOf(other)).map((logGroup) => logGroup.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain', 'Retain']);
  });

  test('configuring a stack without numbers adds no provider to it', () => {
    // GIVEN a stack without numbers
    const stack = newStack();

    // WHEN its provider is configured
    ClaimedPhoneNumber.configureProvider(stack, { logRemovalPolicy: RemovalPolicy.DESTROY });

    // THEN the stack has no provider
    expect(stack.node.tryFindChild(PROVIDER_ID)).toBeUndefined();
  });

  test('SNAPSHOT fails with a message naming the scope, since log groups have no snapshots', () => {
    // GIVEN a stack
    const stack = newStack();

    // WHEN the provider's log groups are asked to be snapshotted
    const attempt = () => ClaimedPhoneNumber.configureProvider(stack, { logRemovalPolicy: RemovalPolicy.SNAPSHOT });

    // THEN it fails with the allowed policies
    expect(attempt).toThrow(
      new Error(
        'ClaimedPhoneNumber.configureProvider TestStack: logRemovalPolicy cannot be SNAPSHOT: log groups have no snapshots; ' +
          'use DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE.',
      ),
    );
  });
});
