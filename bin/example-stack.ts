/**
 * The example stack: it claims two numbers, one to a Connect instance by id and one to a traffic
 * distribution group by ARN. bin/example-app.ts puts it in an App; tests import it from here, without
 * the side effects of an App that synthesizes at module load.
 */
import { RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClaimedPhoneNumber, PhoneNumberType } from '../lib';

/** Placeholder targets: replace them with your own instance id and traffic distribution group ARN. */
export const EXAMPLE_INSTANCE_ID = '4f3b2a1c-0d9e-4a8b-9c7d-6e5f4a3b2c1d';
export const EXAMPLE_TRAFFIC_DISTRIBUTION_GROUP_ARN =
  'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

export const EXAMPLE_CALLBACK_FLOW_ID = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
export const EXAMPLE_CALLBACK_FLOW_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${EXAMPLE_INSTANCE_ID}/contact-flow/${EXAMPLE_CALLBACK_FLOW_ID}`;

export class ContactCenterNumbersStack extends Stack {
  readonly support: ClaimedPhoneNumber;
  readonly sales: ClaimedPhoneNumber;
  readonly callback: ClaimedPhoneNumber;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.support = new ClaimedPhoneNumber(this, 'Support', {
      phoneNumber: '+12065550100',
      instanceId: EXAMPLE_INSTANCE_ID,
      description: 'Support line',
      tags: { team: 'support' },
      // Customers dial this number: keep it claimed even if the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.sales = new ClaimedPhoneNumber(this, 'Sales', {
      phoneNumber: '+18335550199',
      targetArn: EXAMPLE_TRAFFIC_DISTRIBUTION_GROUP_ARN,
      description: 'Sales hotline, routed across Regions',
    });

    // Any toll-free number will do: search for one, claim it, and route it to the callback flow.
    this.callback = new ClaimedPhoneNumber(this, 'Callback', {
      search: { countryCode: 'US', numberType: PhoneNumberType.TOLL_FREE, prefix: '+1833' },
      instanceId: EXAMPLE_INSTANCE_ID,
      description: 'Callback line',
      contactFlowArn: EXAMPLE_CALLBACK_FLOW_ARN,
    });

    Tags.of(this).add('cost-center', 'contact-center');
  }
}
