import {
  ConnectClient,
  DescribePhoneNumberCommand,
  ImportPhoneNumberCommand,
  ListPhoneNumbersV2Command,
  ReleasePhoneNumberCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, SETTLE_MS, sleep, useTestEmulator } from './helpers';

describe('ImportPhoneNumber', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  test('an import is IN_PROGRESS, then CLAIMED, and describe shows the source, number, description and tags', async () => {
    // GIVEN a number in End User Messaging
    const source = emulator.addSourcePhoneNumber('+12065550150');
    // WHEN it is imported with a description and tags, and described after the latency
    const { PhoneNumberId } = await client.send(
      new ImportPhoneNumberCommand({ InstanceId: INSTANCE_ID, SourcePhoneNumberArn: source, PhoneNumberDescription: 'sms line', Tags: { team: 'sms' } }),
    );
    const first = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    await sleep(SETTLE_MS);
    const later = (await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }))).ClaimedPhoneNumberSummary;
    // THEN it completes like a claim and remembers where it came from
    expect(first.ClaimedPhoneNumberSummary?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
    expect(later).toMatchObject({
      PhoneNumber: '+12065550150',
      SourcePhoneNumberArn: source,
      InstanceId: INSTANCE_ID,
      PhoneNumberDescription: 'sms line',
      Tags: { team: 'sms' },
      PhoneNumberStatus: { Status: 'CLAIMED' },
    });
  });

  test('ListPhoneNumbersV2 names the source of an imported number', async () => {
    // GIVEN an imported number
    const source = emulator.addSourcePhoneNumber('+12065550151');
    await client.send(new ImportPhoneNumberCommand({ InstanceId: INSTANCE_ID, SourcePhoneNumberArn: source }));
    await sleep(SETTLE_MS);
    // WHEN the account's numbers are listed
    const list = await client.send(new ListPhoneNumbersV2Command({}));
    // THEN the summary carries the source ARN
    expect(list.ListPhoneNumbersSummaryList?.map((s) => s.SourcePhoneNumberArn)).toContain(source);
  });

  test('an unknown source answers ResourceNotFoundException', async () => {
    // GIVEN a source that End User Messaging does not know WHEN imported
    const error = await caught(
      client.send(new ImportPhoneNumberCommand({ InstanceId: INSTANCE_ID, SourcePhoneNumberArn: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-nope' })),
    );
    // THEN the source is not found
    expect(error.name).toBe('ResourceNotFoundException');
  });

  test('a source already imported answers InvalidParameterException', async () => {
    // GIVEN a source imported once
    const source = emulator.addSourcePhoneNumber('+12065550152');
    await client.send(new ImportPhoneNumberCommand({ InstanceId: INSTANCE_ID, SourcePhoneNumberArn: source }));
    // WHEN it is imported again under another token
    const error = await caught(client.send(new ImportPhoneNumberCommand({ InstanceId: INSTANCE_ID, SourcePhoneNumberArn: source })));
    // THEN the second import is refused
    expect(error.name).toBe('InvalidParameterException');
  });

  test('an unknown instance answers ResourceNotFoundException', async () => {
    // GIVEN a known source WHEN imported to an instance that does not exist
    const source = emulator.addSourcePhoneNumber('+12065550153');
    const error = await caught(
      client.send(new ImportPhoneNumberCommand({ InstanceId: '99999999-0000-4000-8000-000000000000', SourcePhoneNumberArn: source })),
    );
    // THEN the instance is not found, and nothing is imported
    expect(error.name).toBe('ResourceNotFoundException');
    expect(emulator.numbers()).toHaveLength(0);
  });

  test('the same ClientToken answers the first import instead of importing twice', async () => {
    // GIVEN an import made with a token
    const source = emulator.addSourcePhoneNumber('+12065550154');
    const request = { InstanceId: INSTANCE_ID, SourcePhoneNumberArn: source, ClientToken: '11111111-2222-4333-8444-555555555555' };
    const first = await client.send(new ImportPhoneNumberCommand(request));
    // WHEN the same request is repeated
    const second = await client.send(new ImportPhoneNumberCommand(request));
    // THEN it answers the same number, and only one exists
    expect(second.PhoneNumberArn).toBe(first.PhoneNumberArn);
    expect(emulator.numbers()).toHaveLength(1);
  });

  test('an imported number is released like a claimed one', async () => {
    // GIVEN an imported number that completed
    const source = emulator.addSourcePhoneNumber('+12065550155');
    const { PhoneNumberId } = await client.send(new ImportPhoneNumberCommand({ InstanceId: INSTANCE_ID, SourcePhoneNumberArn: source }));
    await sleep(SETTLE_MS);
    // WHEN it is released
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId }));
    // THEN Connect no longer knows it
    expect((await caught(client.send(new DescribePhoneNumberCommand({ PhoneNumberId })))).name).toBe('ResourceNotFoundException');
  });
});
