import {
  AssociatePhoneNumberContactFlowCommand,
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  UpdatePhoneNumberCommand,
  UpdatePhoneNumberMetadataCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, instanceArn, OTHER_INSTANCE_ID, SETTLE_MS, sleep, tdgArn, useTestEmulator } from './helpers';

describe('UpdatePhoneNumber and UpdatePhoneNumberMetadata', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });

  async function claimed(phoneNumber: string, description?: string): Promise<string> {
    const { PhoneNumberId } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: phoneNumber, PhoneNumberDescription: description }),
    );
    await sleep(SETTLE_MS);
    return PhoneNumberId as string;
  }
  const describe_ = async (id: string) =>
    (await client.send(new DescribePhoneNumberCommand({ PhoneNumberId: id }))).ClaimedPhoneNumberSummary;

  test('update returns the id and ARN and the number is IN_PROGRESS on the old target at first', async () => {
    // GIVEN a CLAIMED number
    const id = await claimed('+12065550140');
    // WHEN moved to another instance
    const out = await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: id, InstanceId: OTHER_INSTANCE_ID }));
    const during = await describe_(id);
    // THEN it answers with the same id and ARN, and is IN_PROGRESS, still on the old target
    expect(out.PhoneNumberId).toBe(id);
    expect(out.PhoneNumberArn).toBe(during?.PhoneNumberArn);
    expect(during?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
    expect(during?.TargetArn).toBe(instanceArn(INSTANCE_ID));
  });

  test('after the update latency the number is CLAIMED on the new target', async () => {
    // GIVEN an update in flight to a traffic distribution group
    const id = await claimed('+12065550141');
    await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: id, TargetArn: tdgArn() }));
    // WHEN the latency has passed
    await sleep(SETTLE_MS);
    const after = await describe_(id);
    // THEN it is CLAIMED on the group and no longer has an instance id
    expect(after?.PhoneNumberStatus?.Status).toBe('CLAIMED');
    expect(after?.TargetArn).toBe(tdgArn());
    expect(after?.InstanceId).toBeUndefined();
  });

  test('updating a number whose claim is in progress is ResourceInUseException', async () => {
    // GIVEN a claim that never finishes
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimStuck' });
    const { PhoneNumberId } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550142' }),
    );
    // WHEN it is updated
    const err = await caught(client.send(new UpdatePhoneNumberCommand({ PhoneNumberId, InstanceId: OTHER_INSTANCE_ID })));
    // THEN 409 ResourceInUseException
    expect(err.name).toBe('ResourceInUseException');
    expect(err.status).toBe(409);
  });

  test('moving a number drops its contact flow association', async () => {
    // GIVEN a number with a flow
    emulator.addContactFlow(INSTANCE_ID, 'flow-1');
    const id = await claimed('+12065550143');
    await client.send(
      new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-1' }),
    );
    // WHEN it is moved
    await client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: id, InstanceId: OTHER_INSTANCE_ID }));
    // THEN the flow is no longer associated
    expect(emulator.numberByPhone('+12065550143')?.contactFlowId).toBeUndefined();
  });

  test('updating to an unknown instance is ResourceNotFoundException and leaves the number as it was', async () => {
    // GIVEN a claimed number WHEN moved to an instance that does not exist
    const id = await claimed('+12065550144');
    const err = await caught(client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: id, InstanceId: 'missing' })));
    // THEN 404 naming it, and the number is still CLAIMED on its instance
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toContain('missing');
    expect((await describe_(id))?.PhoneNumberStatus?.Status).toBe('CLAIMED');
  });

  test('updating an unknown number is ResourceNotFoundException', async () => {
    // GIVEN no such id WHEN updated THEN 404
    const err = await caught(
      client.send(new UpdatePhoneNumberCommand({ PhoneNumberId: 'd0000000-0000-4000-8000-000000000000', InstanceId: INSTANCE_ID })),
    );
    expect(err.name).toBe('ResourceNotFoundException');
  });

  test('metadata update is IN_PROGRESS first and applies the description on completion', async () => {
    // GIVEN a claimed number with a description
    const id = await claimed('+12065550145', 'old');
    // WHEN its description is changed
    await client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: id, PhoneNumberDescription: 'new' }));
    const during = await describe_(id);
    await sleep(SETTLE_MS);
    const after = await describe_(id);
    // THEN the old description shows while IN_PROGRESS and the new one once CLAIMED
    expect(during?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
    expect(during?.PhoneNumberDescription).toBe('old');
    expect(after?.PhoneNumberStatus?.Status).toBe('CLAIMED');
    expect(after?.PhoneNumberDescription).toBe('new');
  });

  test('metadata update while another update is in progress is ResourceInUseException', async () => {
    // GIVEN an update in flight
    const id = await claimed('+12065550146');
    await client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: id, PhoneNumberDescription: 'a' }));
    // WHEN another metadata update arrives
    const err = await caught(client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: id, PhoneNumberDescription: 'b' })));
    // THEN 409
    expect(err.name).toBe('ResourceInUseException');
  });

  test('metadata update accepts the phone number ARN', async () => {
    // GIVEN a claimed number addressed by ARN
    const id = await claimed('+12065550147');
    const arn = (await describe_(id))?.PhoneNumberArn as string;
    // WHEN its metadata is updated by ARN
    await client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: arn, PhoneNumberDescription: 'by arn' }));
    await sleep(SETTLE_MS);
    // THEN the description is applied
    expect((await describe_(id))?.PhoneNumberDescription).toBe('by arn');
  });
});
