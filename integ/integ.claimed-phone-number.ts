/**
 * Integration test (integ-runner layout): deploys a stack that claims one real phone number to a real
 * Amazon Connect instance, asserts with DescribePhoneNumber that Connect reports it CLAIMED to that
 * instance with the declared description and tags, then destroys the stack (which releases the number).
 *
 * Needs an AWS account: it is not run in CI, where it is only synthesized (test/ecosystem/integ.test.ts).
 * See integ/README.md for how to run it. Environment:
 *   CONNECT_INSTANCE_ID     id of the Connect instance to claim to (in the Region deployed to)
 *   CLAIMABLE_PHONE_NUMBER  an E.164 number available to claim, for example the first of
 *                           `aws connect search-available-phone-numbers --target-arn <instance ARN>
 *                            --phone-number-country-code US --phone-number-type DID --max-results 1`
 * Without them the app refuses to synthesize, so that nothing is deployed with made-up values (CI sets
 * made-up values to synthesize it, and never deploys).
 */
import { App, ArnFormat, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { ClaimedPhoneNumber } from '../lib';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`integ.claimed-phone-number: set ${name} (see integ/README.md); this test claims a real number.`);
  }
  return value;
}

const instanceId = required('CONNECT_INSTANCE_ID');
const phoneNumber = required('CLAIMABLE_PHONE_NUMBER');
const DESCRIPTION = 'cdk-claimed-phone-number integration test';
const TAGS = { purpose: 'integ-test', team: 'contact-center' };

const app = new App();
const stack = new Stack(app, 'ClaimedPhoneNumberInteg', {
  description: 'Integration test of ClaimedPhoneNumber: claims one number and releases it on destroy',
});
const number = new ClaimedPhoneNumber(stack, 'Number', {
  phoneNumber,
  instanceId,
  description: DESCRIPTION,
  tags: TAGS,
  // The test number is released when the test stack is destroyed.
  removalPolicy: RemovalPolicy.DESTROY,
});
// Tags added with Tags.of() must reach the number too.
Tags.of(stack).add('cost-center', 'integ');

const integ = new IntegTest(app, 'ClaimedPhoneNumberIntegTest', {
  testCases: [stack],
  // Claiming and releasing is all the test does: nothing to compare across an update workflow.
  stackUpdateWorkflow: false,
  diffAssets: false,
});

integ.assertions
  .awsApiCall('Connect', 'describePhoneNumber', { PhoneNumberId: number.phoneNumberId })
  .expect(
    ExpectedResult.objectLike({
      ClaimedPhoneNumberSummary: {
        PhoneNumber: phoneNumber,
        PhoneNumberId: number.phoneNumberId,
        TargetArn: stack.formatArn({
          service: 'connect',
          resource: 'instance',
          resourceName: instanceId,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
        PhoneNumberDescription: DESCRIPTION,
        PhoneNumberStatus: { Status: 'CLAIMED' },
        Tags: { ...TAGS, 'cost-center': 'integ' },
      },
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });

app.synth();
