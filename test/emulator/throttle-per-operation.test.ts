import {
  AssociatePhoneNumberContactFlowCommand,
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ReleasePhoneNumberCommand,
  SearchAvailablePhoneNumbersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePhoneNumberCommand,
  UpdatePhoneNumberMetadataCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, useTestEmulator } from './helpers';

const NUMBER_ID = 'e0000000-0000-4000-8000-000000000000';
const NUMBER_ARN = `arn:aws:connect:us-east-1:123456789012:phone-number/${NUMBER_ID}`;

/**
 * One request per throttled operation of the service-quotas list (2 requests per second, burst 5, per
 * operation). Answers other than 429 do not matter here (most are 404 for the made-up number): only the
 * throttle, which comes first, is under test.
 */
const OPERATIONS: ReadonlyArray<readonly [string, (client: ConnectClient) => Promise<unknown>]> = [
  ['ClaimPhoneNumber', (c) => c.send(new ClaimPhoneNumberCommand({ InstanceId: 'missing', PhoneNumber: '+12065550100' }))],
  ['DescribePhoneNumber', (c) => c.send(new DescribePhoneNumberCommand({ PhoneNumberId: NUMBER_ID }))],
  ['ListPhoneNumbersV2', (c) => c.send(new ListPhoneNumbersV2Command({}))],
  ['ReleasePhoneNumber', (c) => c.send(new ReleasePhoneNumberCommand({ PhoneNumberId: NUMBER_ID }))],
  ['UpdatePhoneNumber', (c) => c.send(new UpdatePhoneNumberCommand({ PhoneNumberId: NUMBER_ID, InstanceId: INSTANCE_ID }))],
  ['UpdatePhoneNumberMetadata', (c) => c.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: NUMBER_ID, PhoneNumberDescription: 'x' }))],
  [
    'SearchAvailablePhoneNumbers',
    (c) => c.send(new SearchAvailablePhoneNumbersCommand({ InstanceId: INSTANCE_ID, PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID' })),
  ],
  ['TagResource', (c) => c.send(new TagResourceCommand({ resourceArn: NUMBER_ARN, tags: { a: 'b' } }))],
  ['UntagResource', (c) => c.send(new UntagResourceCommand({ resourceArn: NUMBER_ARN, tagKeys: ['a'] }))],
  [
    'AssociatePhoneNumberContactFlow',
    (c) => c.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: NUMBER_ID, InstanceId: INSTANCE_ID, ContactFlowId: 'f' })),
  ],
  ['DisassociatePhoneNumberContactFlow', (c) => c.send(new DisassociatePhoneNumberContactFlowCommand({ PhoneNumberId: NUMBER_ID, InstanceId: INSTANCE_ID }))],
];

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (e) {
    return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  }
}

describe('throttling per operation', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  }, { rateLimit: { requestsPerSecond: 2, burst: 5 } });

  test.each(OPERATIONS)('%s: a burst of five passes the throttle and the sixth call is 429', async (_name, call) => {
    // GIVEN a fresh bucket WHEN six calls of one operation arrive at once
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push(await statusOf(call(client)));
    // THEN only the sixth is throttled
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    expect(statuses[5]).toBe(429);
  });

  test('an operation whose bucket is empty does not throttle another operation', async () => {
    // GIVEN ListPhoneNumbersV2 throttled
    for (let i = 0; i < 6; i += 1) await statusOf(client.send(new ListPhoneNumbersV2Command({})));
    // WHEN DescribePhoneNumber is called
    const err = await caught(client.send(new DescribePhoneNumberCommand({ PhoneNumberId: NUMBER_ID })));
    // THEN it is answered (404), not throttled
    expect(err.status).toBe(404);
  });

  test("scope 'account' shares one bucket between all operations", async () => {
    // GIVEN the account-wide bucket emptied by ListPhoneNumbersV2
    emulator.configure({ rateLimit: { requestsPerSecond: 2, burst: 5, scope: 'account' } });
    for (let i = 0; i < 5; i += 1) await statusOf(client.send(new ListPhoneNumbersV2Command({})));
    // WHEN DescribePhoneNumber is called
    const err = await caught(client.send(new DescribePhoneNumberCommand({ PhoneNumberId: NUMBER_ID })));
    emulator.configure({ rateLimit: { requestsPerSecond: 2, burst: 5 } });
    // THEN it is throttled
    expect(err.status).toBe(429);
  });
});
