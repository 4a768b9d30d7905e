/**
 * AwsSolutions-L1 on an aws-cdk-lib release that knows a Node.js runtime newer than the handler's: the
 * construct acknowledges it for the provider's and the framework's functions, so that the user has nothing
 * to suppress. The release is simulated by declaring `nodejs26.x` to this file's aws-cdk-lib (jest gives
 * each test file its own modules, so no other file sees it).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ClaimedPhoneNumber } from '../../lib';
import { INSTANCE_ID, PHONE_NUMBER } from './helpers';
import { synthWithNag } from './nag-report';

// What aws-cdk-lib 2.278 declares: a Node.js runtime newer than the handler's nodejs24.x.
new lambda.Runtime('nodejs26.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

test('a stack synthesizes with AwsSolutionsChecks and no L1 finding when aws-cdk-lib knows a newer Node.js runtime', () => {
  // GIVEN an app with the AwsSolutions pack and a number, on an aws-cdk-lib that knows nodejs26.x
  // WHEN it is synthesized
  const { error, report } = synthWithNag((app) => {
    new ClaimedPhoneNumber(new Stack(app, 'Numbers'), 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
  });

  // THEN nothing is reported and synthesis succeeds
  expect(report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
  expect(error).toBeUndefined();
});

test('each of the five functions gets an L1 acknowledgement whose reason names its runtime and who picks it', () => {
  // GIVEN acknowledgements recorded instead of applied
  const recorded: Array<{ where: string; id: string; reason: string }> = [];
  const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...acks) {
    const scope = (this as unknown as { scope: { node: { path: string } } }).scope;
    recorded.push(...acks.map((ack) => ({ where: scope.node.path, id: ack.id, reason: ack.reason })));
  });
  try {
    // WHEN a number is declared
    const stack = new Stack(undefined, 'Numbers');
    new ClaimedPhoneNumber(stack, 'Line', { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID });
  } finally {
    spy.mockRestore();
  }

  // THEN the two handler functions and the three framework functions are acknowledged, on their CfnFunction
  const l1 = recorded.filter((r) => r.id === 'AwsSolutions-L1');
  expect(l1.map((r) => r.where.replace('Numbers/ClaimedPhoneNumberProvider/', '')).sort()).toEqual([
    'IsComplete/Resource',
    'OnEvent/Resource',
    'Provider/framework-isComplete/Resource',
    'Provider/framework-onEvent/Resource',
    'Provider/framework-onTimeout/Resource',
  ]);
  // AND the handler's reason says it stays on the runtime its bundle is tested for, the framework's that aws-cdk-lib picks it
  expect(l1.find((r) => r.where.endsWith('/OnEvent/Resource'))?.reason).toContain('built and tested on nodejs24.x');
  expect(l1.find((r) => r.where.endsWith('/framework-onEvent/Resource'))?.reason).toContain('The Provider framework of aws-cdk-lib');
});
