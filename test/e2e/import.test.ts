/**
 * Importing from AWS End User Messaging SMS end to end: create, update, move, delete and a refused import,
 * through the real handler bundle, the synthesized role policy (enforced by the emulator) and the stack model.
 */
import { ConnectClient, ImportPhoneNumberCommand } from '@aws-sdk/client-connect';
import { Stack } from 'aws-cdk-lib';
import { CloudAssembly, synthesizeToDirectory } from '../../harness';
import { ClaimedPhoneNumber } from '../../lib';
import { INSTANCE_ID, OTHER_INSTANCE_ID, STACK_NAME, startWorld, World } from './world';

const SOURCE_ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-12065550150';
const NUMBER = '+12065550150';

let assembly: CloudAssembly;
let world: World;

beforeAll(() => {
  assembly = CloudAssembly.load(
    synthesizeToDirectory((app) => {
      const stack = new Stack(app, STACK_NAME);
      new ClaimedPhoneNumber(stack, 'SmsLine', { sourcePhoneNumberArn: SOURCE_ARN, instanceId: INSTANCE_ID, description: 'SMS', tags: { team: 'sms' } });
      // Declared so that the role may move numbers to (and import into) the other instance.
      new ClaimedPhoneNumber(stack, 'Other', { phoneNumber: '+12065550120', instanceId: OTHER_INSTANCE_ID });
    }),
  );
});

beforeEach(async () => {
  world = await startWorld(assembly);
  world.emulator.addSourcePhoneNumber(NUMBER, 'phone-12065550150');
});

afterEach(async () => {
  await world.close();
});

const props = () => world.stack.declaredProperties(world.logicalId('SmsLine'));

test('create imports the source into the instance, with description, tags and owner tag, allowed by the role', async () => {
  // WHEN the resource is created
  const response = await world.stack.create(world.logicalId('SmsLine'));
  // THEN Connect holds the imported number as declared, and the synthesized policy denied nothing
  expect(response.Status).toBe('SUCCESS');
  expect(response.Data?.PhoneNumber).toBe(NUMBER);
  const record = world.emulator.numberByPhone(NUMBER);
  expect(record).toMatchObject({ status: 'CLAIMED', instanceId: INSTANCE_ID, sourcePhoneNumberArn: SOURCE_ARN, description: 'SMS' });
  expect(record?.tags.team).toBe('sms');
  expect(world.emulator.calls.filter((call) => call.errorType === 'AccessDeniedException')).toEqual([]);
});

test('a new import that Connect does not show at once still answers its E.164 number, read back when complete', async () => {
  // GIVEN Connect hides a new number from DescribePhoneNumber for a second (visibilityDelayMs variant)
  world.emulator.setVariant('visibilityDelayMs', 1000);
  // WHEN the resource is created
  const response = await world.stack.create(world.logicalId('SmsLine'));
  // THEN the PhoneNumber attribute is the number Connect holds, though onEvent could not read it yet
  expect(response.Status).toBe('SUCCESS');
  expect(response.Data?.PhoneNumber).toBe(NUMBER);
});

test('an update of description and tags changes the imported number in place', async () => {
  // GIVEN the imported number
  await world.stack.create(world.logicalId('SmsLine'));
  const arn = world.emulator.numberByPhone(NUMBER)!.arn;
  // WHEN description and tags change
  const response = await world.stack.update(world.logicalId('SmsLine'), { ...props(), PhoneNumberDescription: 'SMS (24/7)', Tags: { team: 'care' } });
  // THEN the same number carries them, imported once
  expect(response.Status).toBe('SUCCESS');
  expect(response.PhysicalResourceId).toBe(arn);
  expect(world.emulator.numberByPhone(NUMBER)).toMatchObject({ description: 'SMS (24/7)', tags: expect.objectContaining({ team: 'care' }) });
  expect(world.emulator.calls.filter((call) => call.operation === 'ImportPhoneNumber')).toHaveLength(1);
});

test('another instance moves the imported number', async () => {
  // GIVEN the imported number
  await world.stack.create(world.logicalId('SmsLine'));
  // WHEN the instance changes
  const response = await world.stack.update(world.logicalId('SmsLine'), { ...props(), InstanceId: OTHER_INSTANCE_ID });
  // THEN it is on the other instance, still the imported number
  expect(response.Status).toBe('SUCCESS');
  expect(world.emulator.numberByPhone(NUMBER)).toMatchObject({ status: 'CLAIMED', instanceId: OTHER_INSTANCE_ID, sourcePhoneNumberArn: SOURCE_ARN });
});

test('delete releases the imported number', async () => {
  // GIVEN the imported number
  await world.stack.create(world.logicalId('SmsLine'));
  // WHEN the resource is deleted
  await world.stack.delete(world.logicalId('SmsLine'));
  // THEN Connect no longer holds it
  expect(world.emulator.numberByPhone(NUMBER)).toBeUndefined();
  expect(world.emulator.calls.filter((call) => call.operation === 'ReleasePhoneNumber' && call.httpStatus === 200)).toHaveLength(1);
});

test('an import of a source imported by hand fails with a clear error and takes nothing over', async () => {
  // GIVEN the source imported outside the stack (no owner tag)
  const console = new ConnectClient({ endpoint: world.emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBYHAND', secretAccessKey: 'x' } });
  const byHand = await console.send(new ImportPhoneNumberCommand({ InstanceId: INSTANCE_ID, SourcePhoneNumberArn: SOURCE_ARN }));
  // WHEN the resource is created
  const response = await world.stack.create(world.logicalId('SmsLine'));
  // THEN it fails naming adoptExisting, and the number keeps no owner tag of this stack
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toContain('adoptExisting');
  expect(world.emulator.numbers().find((r) => r.arn === byHand.PhoneNumberArn)?.tags).toEqual({});
});
