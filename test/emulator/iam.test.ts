import {
  AssociatePhoneNumberContactFlowCommand,
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  ListPhoneNumbersV2Command,
  SearchAvailablePhoneNumbersCommand,
  TagResourceCommand,
  UpdatePhoneNumberCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator, PolicyStatement, wildcardMatch } from '../../emulator';
import { ACCOUNT, caught, INSTANCE_ID, instanceArn, OTHER_INSTANCE_ID, SETTLE_MS, sleep, startTestEmulator } from './helpers';

const SCOPED_KEY = 'AKIDSCOPED';
const OPEN_KEY = 'AKIDUNREGISTERED';
const PHONE_NUMBERS = `arn:aws:connect:us-east-1:${ACCOUNT}:phone-number/*`;

/** The shape the construct grants: claim/move to one instance, manage any number of the account. */
const scopedPolicy = (): PolicyStatement[] => [
  { Effect: 'Allow', Action: ['connect:ClaimPhoneNumber', 'connect:UpdatePhoneNumber'], Resource: [PHONE_NUMBERS, instanceArn(INSTANCE_ID)] },
  { Effect: 'Allow', Action: ['connect:DescribePhoneNumber', 'connect:TagResource'], Resource: PHONE_NUMBERS },
  { Effect: 'Allow', Action: 'connect:ListPhoneNumbersV2', Resource: '*' },
];

const clientWithKey = (emulator: ConnectEmulator, accessKeyId: string): ConnectClient =>
  new ConnectClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'fake-secret-key' }, maxAttempts: 1 });

describe('IAM enforcement', () => {
  let emulator: ConnectEmulator;
  let scoped: ConnectClient;
  let open: ConnectClient;

  beforeAll(async () => {
    emulator = await startTestEmulator({ iam: { [SCOPED_KEY]: scopedPolicy() } });
    scoped = clientWithKey(emulator, SCOPED_KEY);
    open = clientWithKey(emulator, OPEN_KEY);
  });
  afterAll(async () => {
    scoped.destroy();
    open.destroy();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.setPolicies(SCOPED_KEY, scopedPolicy());
  });

  test('a call the policy allows on every resource it needs goes through', async () => {
    // WHEN the scoped key claims to its instance, describes and tags the number and lists
    const claimed = await scoped.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550100' }));
    const described = await scoped.send(new DescribePhoneNumberCommand({ PhoneNumberId: claimed.PhoneNumberId }));
    await scoped.send(new TagResourceCommand({ resourceArn: claimed.PhoneNumberArn, tags: { team: 'a' } }));
    const listed = await scoped.send(new ListPhoneNumbersV2Command({}));
    // THEN all succeed
    expect(described.ClaimedPhoneNumberSummary?.PhoneNumber).toBe('+12065550100');
    expect(listed.ListPhoneNumbersSummaryList).toHaveLength(1);
    expect(emulator.calls.every((call) => call.httpStatus === 200)).toBe(true);
  });

  test('an action the policy does not grant is AccessDeniedException 403 with the real message, and nothing is done', async () => {
    // WHEN the scoped key searches (not granted)
    const error = await caught(scoped.send(new SearchAvailablePhoneNumbersCommand({ TargetArn: instanceArn(), PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID' })));
    // THEN it is denied like the real service, and the call log shows it
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(error.message).toBe(
      `User: ${SCOPED_KEY} is not authorized to perform: connect:SearchAvailablePhoneNumbers on resource: * ` +
        'because no identity-based policy allows the connect:SearchAvailablePhoneNumbers action',
    );
    expect(emulator.calls.at(-1)).toMatchObject({ operation: 'SearchAvailablePhoneNumbers', httpStatus: 403, errorType: 'AccessDeniedException' });
  });

  test('a claim to a target the policy does not name is denied on that target, and no number is claimed', async () => {
    // WHEN the scoped key claims to another instance
    const error = await caught(scoped.send(new ClaimPhoneNumberCommand({ InstanceId: OTHER_INSTANCE_ID, PhoneNumber: '+12065550101' })));
    // THEN it is denied on the other instance's ARN
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(error.message).toContain(`is not authorized to perform: connect:ClaimPhoneNumber on resource: ${instanceArn(OTHER_INSTANCE_ID)}`);
    expect(emulator.claimedNumbers()).toHaveLength(0);
  });

  test('a move is checked on the number and on the new target', async () => {
    // GIVEN a number claimed to the allowed instance
    const claimed = await scoped.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550102' }));
    await sleep(SETTLE_MS);
    // WHEN it is moved to an instance the policy does not name
    const error = await caught(scoped.send(new UpdatePhoneNumberCommand({ PhoneNumberId: claimed.PhoneNumberId, InstanceId: OTHER_INSTANCE_ID })));
    // THEN the new target is what is denied, and the number stays where it was
    expect(error.message).toContain(`connect:UpdatePhoneNumber on resource: ${instanceArn(OTHER_INSTANCE_ID)}`);
    expect(emulator.numberByPhone('+12065550102')?.instanceId).toBe(INSTANCE_ID);
  });

  test('a resource outside the statement is denied even when the action is granted elsewhere', async () => {
    // GIVEN describe allowed on one specific number only
    const claimed = await open.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550103' }));
    const other = await open.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550104' }));
    emulator.setPolicies(SCOPED_KEY, [{ Effect: 'Allow', Action: 'connect:DescribePhoneNumber', Resource: claimed.PhoneNumberArn as string }]);
    // WHEN both are described, the second by its id
    await scoped.send(new DescribePhoneNumberCommand({ PhoneNumberId: claimed.PhoneNumberArn }));
    const error = await caught(scoped.send(new DescribePhoneNumberCommand({ PhoneNumberId: other.PhoneNumberId })));
    // THEN only the named number can be read; the id is reported as its full ARN
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(error.message).toContain(`connect:DescribePhoneNumber on resource: ${other.PhoneNumberArn}`);
  });

  test('associating a flow needs the flow ARN too', async () => {
    // GIVEN the association allowed on numbers and one flow of the instance
    emulator.addContactFlow(INSTANCE_ID, 'flow-1');
    emulator.addContactFlow(INSTANCE_ID, 'flow-2');
    const claimed = await open.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550105' }));
    await sleep(SETTLE_MS);
    emulator.setPolicies(SCOPED_KEY, [
      { Action: 'connect:AssociatePhoneNumberContactFlow', Resource: [PHONE_NUMBERS, `${instanceArn()}/contact-flow/flow-1`] },
    ]);
    // WHEN both flows are associated
    await scoped.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: claimed.PhoneNumberId, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-1' }));
    const error = await caught(
      scoped.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: claimed.PhoneNumberId, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-2' })),
    );
    // THEN the undeclared flow is denied
    expect(error.message).toContain(`on resource: ${instanceArn()}/contact-flow/flow-2`);
    expect(emulator.numberByPhone('+12065550105')?.contactFlowId).toBe('flow-1');
  });

  test('wildcards: connect:* and connect:Describe* in actions, * and ? in resources', async () => {
    // GIVEN policies written with wildcards
    const claimed = await open.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550106' }));
    emulator.setPolicies(SCOPED_KEY, [
      { Action: 'connect:Describe*', Resource: 'arn:aws:connect:us-east-1:?????????????:phone-number/*' },
      { Action: 'connect:*', Resource: `arn:aws:connect:*:${ACCOUNT}:instance/aaaaaaaa-*` },
      { Action: 'connect:ClaimPhoneNumber', Resource: 'arn:aws:connect:us-east-1:*:phone-number/*' },
    ]);
    // WHEN describing (12 '?' for a 12-digit account would match; 13 do not) and claiming
    const describeError = await caught(scoped.send(new DescribePhoneNumberCommand({ PhoneNumberId: claimed.PhoneNumberId })));
    emulator.setPolicies(SCOPED_KEY, [
      { Action: 'CONNECT:describe*', Resource: 'arn:aws:connect:us-east-1:????????????:phone-number/*' },
      { Action: 'connect:*', Resource: `arn:aws:connect:*:${ACCOUNT}:instance/aaaaaaaa-*` },
      { Action: 'connect:ClaimPhoneNumber', Resource: 'arn:aws:connect:us-east-1:*:phone-number/*' },
    ]);
    await scoped.send(new DescribePhoneNumberCommand({ PhoneNumberId: claimed.PhoneNumberId }));
    await scoped.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550107' }));
    const otherInstance = await caught(scoped.send(new ClaimPhoneNumberCommand({ InstanceId: OTHER_INSTANCE_ID, PhoneNumber: '+12065550108' })));
    // THEN each wildcard matches exactly what it should; actions are case-insensitive
    expect(describeError.name).toBe('AccessDeniedException');
    expect(otherInstance.message).toContain(instanceArn(OTHER_INSTANCE_ID));
    expect(wildcardMatch('connect:*', 'connect:ClaimPhoneNumber')).toBe(true);
    expect(wildcardMatch('arn:aws:connect:*', 'arn:aws:connect:us-east-1:1:phone-number/x')).toBe(true);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
  });

  test('an explicit Deny wins over an Allow', async () => {
    // GIVEN everything allowed but claims to the instance denied
    emulator.setPolicies(SCOPED_KEY, [
      { Action: 'connect:*', Resource: '*' },
      { Effect: 'Deny', Action: 'connect:ClaimPhoneNumber', Resource: instanceArn() },
    ]);
    // WHEN claiming there
    const error = await caught(scoped.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550109' })));
    // THEN it is denied, explicitly
    expect(error.message).toContain('with an explicit deny in an identity-based policy');
  });

  test('a key with no registered policy is not checked', async () => {
    // WHEN an unregistered key does what the scoped key may not
    await open.send(new ClaimPhoneNumberCommand({ InstanceId: OTHER_INSTANCE_ID, PhoneNumber: '+12065550110' }));
    await open.send(new SearchAvailablePhoneNumbersCommand({ TargetArn: instanceArn(), PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID' }));
    // THEN it goes through
    expect(emulator.calls.map((call) => call.httpStatus)).toEqual([200, 200]);
  });

  test('policies are set, read and removed over the HTTP control surface, and survive a reset', async () => {
    // WHEN a policy is registered over HTTP for a new key
    const post = (body: unknown) => fetch(`${emulator.url}/__emulator/iam`, { method: 'POST', body: JSON.stringify(body) });
    const registered = await post({ accessKeyId: OPEN_KEY, statements: [{ Effect: 'Allow', Action: 'connect:ListPhoneNumbersV2', Resource: '*' }] });
    emulator.reset();
    await open.send(new ListPhoneNumbersV2Command({}));
    const denied = await caught(open.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550111' })));
    // THEN it applies; removing it stops the checks; a statement the emulator cannot evaluate is refused
    expect(registered.status).toBe(200);
    expect(denied.status).toBe(403);
    expect((await post({ accessKeyId: OPEN_KEY, statements: null })).status).toBe(200);
    expect(emulator.policies(OPEN_KEY)).toBeUndefined();
    await open.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550111' }));
    const refused = await post({ accessKeyId: OPEN_KEY, statements: [{ Action: 'connect:*', Resource: '*', Condition: {} }] });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('Condition');
  });
});
