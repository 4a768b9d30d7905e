import {
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  InvalidParameterException,
  ResourceNotFoundException,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, clientFor, INSTANCE_ID, instanceArn, SETTLE_MS, sleep, tdgArn, useTestEmulator } from './helpers';

describe('ClaimPhoneNumber and DescribePhoneNumber', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  test('a claim returns a fresh phone number id and an ARN built from region, account and id', async () => {
    // GIVEN an available number WHEN it is claimed to an instance
    const out = await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550100' }));
    // THEN the id is a UUID and the ARN is the phone-number ARN of that id
    expect(out.PhoneNumberId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.PhoneNumberArn).toBe(`arn:aws:connect:us-east-1:123456789012:phone-number/${out.PhoneNumberId}`);
  });

  test('a new claim is IN_PROGRESS and becomes CLAIMED after the claim latency', async () => {
    // GIVEN a claim just made
    const { PhoneNumberId } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550101' }),
    );
    // WHEN described right away and again after the latency
    const first = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    await sleep(SETTLE_MS);
    const later = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    // THEN it moves from IN_PROGRESS to CLAIMED
    expect(first.ClaimedPhoneNumberSummary?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
    expect(later.ClaimedPhoneNumberSummary?.PhoneNumberStatus?.Status).toBe('CLAIMED');
  });

  test('describe returns the number, country, type, target, instance, description and tags stored at claim', async () => {
    // GIVEN a toll-free number claimed with a description and tags
    const { PhoneNumberId, PhoneNumberArn } = await client.send(
      new ClaimPhoneNumberCommand({
        TargetArn: instanceArn(),
        PhoneNumber: '+18335550100',
        PhoneNumberDescription: 'support line',
        Tags: { team: 'support' },
      }),
    );
    // WHEN it is described
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    // THEN every stored attribute comes back in the ClaimedPhoneNumberSummary shape
    expect(out.ClaimedPhoneNumberSummary).toEqual({
      PhoneNumberId,
      PhoneNumberArn,
      PhoneNumber: '+18335550100',
      PhoneNumberCountryCode: 'US',
      PhoneNumberType: 'TOLL_FREE',
      PhoneNumberDescription: 'support line',
      TargetArn: instanceArn(),
      InstanceId: INSTANCE_ID,
      Tags: { team: 'support' },
      PhoneNumberStatus: { Status: 'IN_PROGRESS' },
    });
  });

  test('describe accepts the phone number ARN as well as the id', async () => {
    // GIVEN a claimed number
    const { PhoneNumberId, PhoneNumberArn } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550102' }),
    );
    // WHEN described by its ARN
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId: PhoneNumberArn }));
    // THEN the same record is returned
    expect(out.ClaimedPhoneNumberSummary?.PhoneNumberId).toBe(PhoneNumberId);
  });

  test('a number claimed to a traffic distribution group has that group as target and no instance id', async () => {
    // GIVEN a claim to a traffic distribution group
    const { PhoneNumberId, PhoneNumberArn } = await client.send(
      new ClaimPhoneNumberCommand({ TargetArn: tdgArn(), PhoneNumber: '+12065550103' }),
    );
    // WHEN described
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    // THEN the target is the group and the ARN has the usual phone-number form
    expect(out.ClaimedPhoneNumberSummary?.TargetArn).toBe(tdgArn());
    expect(out.ClaimedPhoneNumberSummary?.InstanceId).toBeUndefined();
    expect(PhoneNumberArn).toBe(`arn:aws:connect:us-east-1:123456789012:phone-number/${PhoneNumberId}`);
  });

  test('the ARN uses the region the request was signed for', async () => {
    // GIVEN a client for eu-west-2
    const euClient = clientFor(emulator, 'eu-west-2');
    // WHEN it claims a number
    const out = await euClient.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550104' }));
    euClient.destroy();
    // THEN the ARN carries eu-west-2
    expect(out.PhoneNumberArn).toMatch(/^arn:aws:connect:eu-west-2:123456789012:phone-number\//);
  });

  test('country code is derived from the calling code for numbers outside the inventory', async () => {
    // GIVEN a UK number that is not in the inventory
    const { PhoneNumberId } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+442071234567' }),
    );
    // WHEN described
    const out = await client.send(new DescribePhoneNumberCommand({ PhoneNumberId }));
    // THEN it is a GB DID
    expect(out.ClaimedPhoneNumberSummary?.PhoneNumberCountryCode).toBe('GB');
    expect(out.ClaimedPhoneNumberSummary?.PhoneNumberType).toBe('DID');
  });

  test('claiming a number that is already claimed is rejected as not available', async () => {
    // GIVEN a number claimed in this account
    await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550105' }));
    // WHEN it is claimed again
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550105' })));
    // THEN the service answers InvalidParameterException with the exact real message
    expect(err.error).toBeInstanceOf(InvalidParameterException);
    expect(err.status).toBe(400);
    expect(err.message).toBe('Phone number not available: +12065550105');
  });

  test('claiming a number reserved by another account is rejected as not available', async () => {
    // GIVEN a number held elsewhere
    emulator.reserveNumber('+12065550106');
    // WHEN it is claimed
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550106' })));
    // THEN it is not available
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toBe('Phone number not available: +12065550106');
  });

  test('claiming a number claimed out of band in the console is rejected as not available', async () => {
    // GIVEN a number claimed by hand
    emulator.claimOutOfBand({ phoneNumber: '+12065550107', instanceId: INSTANCE_ID });
    // WHEN it is claimed through the API
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550107' })));
    // THEN it is not available, and the out-of-band record is CLAIMED
    expect(err.message).toBe('Phone number not available: +12065550107');
    expect(emulator.numberByPhone('+12065550107')?.status).toBe('CLAIMED');
  });

  test('claiming to an unknown instance is ResourceNotFoundException naming the instance', async () => {
    // GIVEN an instance id the account does not have
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: 'no-such-instance', PhoneNumber: '+12065550108' })));
    // THEN 404 naming it
    expect(err.error).toBeInstanceOf(ResourceNotFoundException);
    expect(err.status).toBe(404);
    expect(err.message).toContain('no-such-instance');
  });

  test('claiming to an unknown traffic distribution group ARN is ResourceNotFoundException naming it', async () => {
    // GIVEN a well-formed ARN of a group that does not exist
    const arn = tdgArn('dddddddd-0000-4000-8000-000000000000');
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ TargetArn: arn, PhoneNumber: '+12065550109' })));
    // THEN 404 naming the ARN
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toContain(arn);
  });

  test('describing an unknown id is ResourceNotFoundException', async () => {
    // GIVEN no such number WHEN described
    const err = await caught(client.send(new DescribePhoneNumberCommand({ PhoneNumberId: 'f0000000-0000-4000-8000-000000000000' })));
    // THEN 404
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.status).toBe(404);
  });

  test('every response carries an x-amzn-RequestId the SDK exposes', async () => {
    // GIVEN any call WHEN it succeeds
    const out = await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550110' }));
    // THEN the request id is set
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
