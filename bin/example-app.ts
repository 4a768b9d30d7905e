/**
 * The example app: one stack that claims two numbers, one to a Connect instance by id and one to a
 * traffic distribution group by ARN (see example-stack.ts). `npx cdk synth` prints its template;
 * `npm run demo` deploys it against the local Connect emulator.
 */
import { App } from 'aws-cdk-lib';
import { ContactCenterNumbersStack } from './example-stack';

export { ContactCenterNumbersStack, EXAMPLE_INSTANCE_ID, EXAMPLE_TRAFFIC_DISTRIBUTION_GROUP_ARN } from './example-stack';

const app = new App();
new ContactCenterNumbersStack(app, 'ContactCenterNumbers');
app.synth();
