import {
  ConnectClient,
  DescribePhoneNumberCommand,
  ImportPhoneNumberCommand,
  ListPhoneNumbersV2Command,
  ReleasePhoneNumberCommand,
  UpdatePhoneNumberCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deriveClientToken } from '../../lambda/client-token';
import { InvalidPropertiesError, NumberNotAvailableError, NumberNotOwnedError } from '../../lambda/errors';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import {
  context,
  createEvent,
  deleteEvent,
  FakeStack,
  INSTANCE_ID,
  LOGICAL_ID,
  NUMBER_ARN,
  NUMBER_ID,
  OTHER_INSTANCE_ID,
  OWNER_TAG,
  PROPS,
  quietHandler,
  serviceError,
  STACK_ID,
  summary,
  TDG_ARN,
  updateEvent,
} from './fixtures';

const SOURCE_ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef';
const IMPORT_PROPS = { ServiceToken: PROPS.ServiceToken, SourcePhoneNumberArn: SOURCE_ARN, InstanceId: INSTANCE_ID, PhoneNumberDescription: 'SMS line', Tags: { team: 'sms' } };
const imported = (overrides: { [key: string]: unknown } = {}) =>
  summary({ SourcePhoneNumberArn: SOURCE_ARN, PhoneNumberDescription: 'SMS line', Tags: { team: 'sms', [OWNER_TAG]: 'Numbers/Support5CFB64A3' }, ...overrides });

const connect = mockClient(ConnectClient);
let handler: ClaimedPhoneNumberHandler;
let stack: FakeStack;

beforeEach(() => {
  connect.reset();
  stack = new FakeStack();
  stack.status_ = 'UPDATE_IN_PROGRESS';
  handler = quietHandler(undefined, stack);
});

describe('Create with SourcePhoneNumberArn', () => {
  test('imports the source into the instance with description, tags, the owner tag and a token derived from the request', async () => {
    // GIVEN Connect accepts the import
    connect.on(ImportPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: imported({ PhoneNumberStatus: { Status: 'IN_PROGRESS' } }) });
    // WHEN a Create event arrives
    const result = await handler.onEvent(createEvent(IMPORT_PROPS), context());
    // THEN exactly one import is made, as declared, and the answer names the number Connect describes
    const token = deriveClientToken({ StackId: STACK_ID, LogicalResourceId: LOGICAL_ID, RequestId: 'req-create-1' }, 'ImportPhoneNumber', SOURCE_ARN, `instance/${INSTANCE_ID}`);
    expect(connect).toHaveReceivedCommandTimes(ImportPhoneNumberCommand, 1);
    expect(connect).toHaveReceivedCommandWith(ImportPhoneNumberCommand, {
      SourcePhoneNumberArn: SOURCE_ARN,
      InstanceId: INSTANCE_ID,
      PhoneNumberDescription: 'SMS line',
      Tags: { team: 'sms', [OWNER_TAG]: 'Numbers/Support5CFB64A3' },
      ClientToken: token,
    });
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(result.Data?.PhoneNumber).toBe('+12065550100');
  });

  test('imports by the instance id when the target is given as an instance ARN', async () => {
    // GIVEN an instance ARN as TargetArn
    connect.on(ImportPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    const props = { SourcePhoneNumberArn: SOURCE_ARN, TargetArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` };
    // WHEN a Create event arrives
    await handler.onEvent(createEvent(props), context());
    // THEN ImportPhoneNumber gets the InstanceId it requires
    expect(connect).toHaveReceivedCommandWith(ImportPhoneNumberCommand, { InstanceId: INSTANCE_ID });
  });

  test('a refused import of a number this resource holds takes it back instead of failing', async () => {
    // GIVEN Connect refuses the import, and the number imported from the source carries this resource's owner tag
    connect.on(ImportPhoneNumberCommand).rejects(serviceError('InvalidParameterException', 'Phone number already imported', 400));
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [{ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID, SourcePhoneNumberArn: SOURCE_ARN }] });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: imported() });
    // WHEN a Create event arrives
    const result = await handler.onEvent(createEvent(IMPORT_PROPS), context());
    // THEN the resource answers with that number
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
  });

  test('a refused import of a number imported by somebody else fails and names adoptExisting', async () => {
    // GIVEN the source is already imported without this resource's owner tag
    connect.on(ImportPhoneNumberCommand).rejects(serviceError('InvalidParameterException', 'Phone number already imported', 400));
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [{ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID, SourcePhoneNumberArn: SOURCE_ARN }] });
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: imported({ Tags: {} }) });
    // WHEN a Create event arrives
    const error = await handler.onEvent(createEvent(IMPORT_PROPS), context()).catch((e: Error) => e);
    // THEN nothing is taken over
    expect(error).toBeInstanceOf(NumberNotOwnedError);
    expect((error as Error).message).toContain('adoptExisting');
  });

  test('a refused import of a source that no number came from fails with Connect\'s reason', async () => {
    // GIVEN Connect does not know the source, and no number of the account came from it
    connect.on(ImportPhoneNumberCommand).rejects(serviceError('ResourceNotFoundException', 'Source phone number not found', 404));
    connect.on(ListPhoneNumbersV2Command).resolves({ ListPhoneNumbersSummaryList: [] });
    // WHEN a Create event arrives
    const error = await handler.onEvent(createEvent(IMPORT_PROPS), context()).catch((e: Error) => e);
    // THEN the failure says what Connect answered
    expect(error).toBeInstanceOf(NumberNotAvailableError);
    expect((error as Error).message).toContain('ResourceNotFoundException: Source phone number not found');
  });

  test('a traffic distribution group target is refused before any Connect call', async () => {
    // GIVEN an import declared to a TDG WHEN a Create event arrives
    const error = await handler.onEvent(createEvent({ SourcePhoneNumberArn: SOURCE_ARN, TargetArn: TDG_ARN }), context()).catch((e: Error) => e);
    // THEN the properties are refused and Connect is not called
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    expect((error as Error).message).toContain('SourcePhoneNumberArn imports the number to an Amazon Connect instance only');
    expect(connect.calls()).toHaveLength(0);
  });

  test('a source ARN with a PhoneNumber is refused naming both template properties', async () => {
    // GIVEN both WHEN a Create event arrives
    const error = await handler.onEvent(createEvent({ ...IMPORT_PROPS, PhoneNumber: '+12065550100' }), context()).catch((e: Error) => e);
    // THEN the message names them as the template does
    expect((error as Error).message).toContain('Give either SourcePhoneNumberArn (a number to import) or PhoneNumber (a number to claim), not both');
  });
});

describe('Update and Delete of an imported number', () => {
  test('a new description updates the imported number in place, without importing again', async () => {
    // GIVEN the imported number this resource holds
    connect.onAnyCommand().resolves({});
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: imported() });
    // WHEN the description changes
    const result = await handler.onEvent(updateEvent({ ...IMPORT_PROPS, PhoneNumberDescription: 'new' }, IMPORT_PROPS), context());
    // THEN the same number answers and nothing is imported
    expect(result.PhysicalResourceId).toBe(NUMBER_ARN);
    expect(connect).toHaveReceivedCommandTimes(ImportPhoneNumberCommand, 0);
  });

  test('another instance moves the imported number', async () => {
    // GIVEN the imported number this resource holds
    connect.onAnyCommand().resolves({});
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: imported() });
    // WHEN the instance changes
    await handler.onEvent(updateEvent({ ...IMPORT_PROPS, InstanceId: OTHER_INSTANCE_ID }, IMPORT_PROPS), context());
    // THEN it is moved, not imported again
    expect(connect).toHaveReceivedCommandWith(UpdatePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN, InstanceId: OTHER_INSTANCE_ID });
    expect(connect).toHaveReceivedCommandTimes(ImportPhoneNumberCommand, 0);
  });

  test('another source ARN replaces the number with a new import', async () => {
    // GIVEN the number imported from the old source
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: imported() });
    connect.on(ImportPhoneNumberCommand).resolves({ PhoneNumberArn: `${NUMBER_ARN}0`, PhoneNumberId: `${NUMBER_ID}0` });
    const other = SOURCE_ARN.replace('0123', '9999');
    // WHEN the source changes
    const result = await handler.onEvent(updateEvent({ ...IMPORT_PROPS, SourcePhoneNumberArn: other }, IMPORT_PROPS), context());
    // THEN the new source is imported and answers a new physical id
    expect(connect).toHaveReceivedCommandWith(ImportPhoneNumberCommand, { SourcePhoneNumberArn: other });
    expect(result.PhysicalResourceId).toBe(`${NUMBER_ARN}0`);
  });

  test('Delete releases the imported number with ReleasePhoneNumber', async () => {
    // GIVEN the imported number this resource holds, in a stack being updated (not rolled back)
    connect.on(DescribePhoneNumberCommand).resolves({ ClaimedPhoneNumberSummary: imported() });
    connect.on(ReleasePhoneNumberCommand).resolves({});
    stack.status_ = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    // WHEN it is deleted
    await handler.onEvent(deleteEvent(NUMBER_ARN, IMPORT_PROPS), context());
    // THEN it is released
    expect(connect).toHaveReceivedCommandWith(ReleasePhoneNumberCommand, { PhoneNumberId: NUMBER_ARN });
  });
});
