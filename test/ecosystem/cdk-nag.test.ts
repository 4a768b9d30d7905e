/**
 * cdk-nag (v3, AwsSolutions): the example app synthesizes with the checks on and no finding, without a
 * single acknowledgement from the user. What cannot be fixed is acknowledged by the provider itself, one
 * finding at a time, and every acknowledgement matches a finding that really occurs (none is stale).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Acknowledgment, App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ContactCenterNumbersStack } from '../../bin/example-stack';
import { ClaimedPhoneNumber } from '../../lib';
import { INSTANCE_ID, TDG_ARN } from '../construct/helpers';
import { synthWithNag, ValidationReport } from '../construct/nag-report';

const PROVIDER = 'ClaimedPhoneNumberProvider';

/** What the provider acknowledges, by construct (under the provider) and finding id. */
const EXPECTED_ACKNOWLEDGEMENTS = [
  'Role AwsSolutions-IAM5[Resource::*]',
  'Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:phone-number/*]',
  'Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:instance/*]',
  'Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:traffic-distribution-group/*]',
  'Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:instance/*/contact-flow/*]',
  'FrameworkOnEventRole AwsSolutions-IAM5[Resource::<ClaimedPhoneNumberProviderOnEventE7E5ECB1.Arn>:*]',
  'FrameworkOnEventRole AwsSolutions-IAM5[Resource::<ClaimedPhoneNumberProviderIsComplete1A9903A4.Arn>:*]',
  'FrameworkCompleteRole AwsSolutions-IAM5[Resource::<ClaimedPhoneNumberProviderOnEventE7E5ECB1.Arn>:*]',
  'FrameworkCompleteRole AwsSolutions-IAM5[Resource::<ClaimedPhoneNumberProviderIsComplete1A9903A4.Arn>:*]',
  'Provider/waiter-state-machine AwsSolutions-IAM5[Resource::<ClaimedPhoneNumberProviderframeworkisComplete9A74406D.Arn>:*]',
  'Provider/waiter-state-machine AwsSolutions-IAM5[Resource::<ClaimedPhoneNumberProviderframeworkonTimeout1ADFAE91.Arn>:*]',
  'Provider/waiter-state-machine AwsSolutions-IAM5[Resource::*]',
  'Provider/waiter-state-machine AwsSolutions-SF2',
].sort();

function violations(report: ValidationReport): string[] {
  return report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName}: ${v.ruleName}`));
}

test('the example app synthesizes with AwsSolutionsChecks and no finding', () => {
  // GIVEN the example app with the AwsSolutions pack registered
  // WHEN it is synthesized
  const { error, report } = synthWithNag((app) => new ContactCenterNumbersStack(app, 'ContactCenterNumbers'));

  // THEN nothing is reported and synthesis succeeds
  expect(violations(report)).toEqual([]);
  expect(error).toBeUndefined();
});

test('a stack with an explicit account and Region, several numbers and both target kinds passes too', () => {
  // GIVEN a stack whose ARNs hold a literal account and Region (so do the finding ids)
  const { error, report } = synthWithNag((app) => {
    const stack = new Stack(app, 'WithEnv', { env: { account: '123456789012', region: 'eu-west-2' } });
    new ClaimedPhoneNumber(stack, 'A', { phoneNumber: '+442071838750', instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(stack, 'B', { phoneNumber: '+442071838751', targetArn: TDG_ARN });
  });

  // THEN nothing is reported
  expect(violations(report)).toEqual([]);
  expect(error).toBeUndefined();
});

test('the provider acknowledges exactly the findings it cannot fix, each with a reason, and all of them occur', () => {
  // GIVEN acknowledgements recorded instead of applied
  const recorded: Array<{ where: string; ack: Acknowledgment }> = [];
  const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ack) {
    const scope = (this as unknown as { scope: { node: { path: string } } }).scope;
    recorded.push({ where: scope.node.path, ack });
  });
  let found: string[];
  // An App makes its cdk.out directory when it is constructed, synthesized or not: give it one to remove.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-'));
  try {
    const app = new App({ outdir });
    const stack = new ContactCenterNumbersStack(app, 'ContactCenterNumbers');

    // WHEN the AwsSolutions pack checks the stack with nothing acknowledged
    found = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((v) => v.violatingResources.map(() => v.ruleName));
  } finally {
    spy.mockRestore();
    fs.rmSync(outdir, { recursive: true, force: true });
  }

  // THEN the acknowledgements are the documented ones, each with a reason
  const prefix = `ContactCenterNumbers/${PROVIDER}/`;
  const acknowledged = recorded.map(({ where, ack }) => `${where.replace(prefix, '')} ${ack.id}`).sort();
  expect(acknowledged).toEqual(EXPECTED_ACKNOWLEDGEMENTS);
  for (const { ack } of recorded) {
    expect(ack.reason.length).toBeGreaterThan(40);
  }
  // AND every acknowledged id is a finding that occurs, and nothing else is found
  expect([...new Set(found)].sort()).toEqual([...new Set(recorded.map(({ ack }) => ack.id))].sort());
});
