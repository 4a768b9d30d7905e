import {
  AssociatePhoneNumberContactFlowCommand,
  ClaimPhoneNumberCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  DisassociatePhoneNumberContactFlowCommand,
  ReleasePhoneNumberCommand,
  ResourceInUseException,
  SearchAvailablePhoneNumbersCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, LATENCY_MS, SETTLE_MS, sleep, useTestEmulator } from './helpers';

describe('ReleasePhoneNumber', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;

  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });
  // Runs after the shared setup's reset.
  beforeEach(() => {
    emulator.configure({ cooldownMs: 180 * 24 * 3600 * 1000 });
  });

  async function claimed(phoneNumber: string): Promise<string> {
    const { PhoneNumberId } = await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: phoneNumber }));
    await sleep(SETTLE_MS);
    return PhoneNumberId as string;
  }

  test('a released number is no longer describable', async () => {
    // GIVEN a CLAIMED number
    const id = await claimed('+12065550130');
    // WHEN it is released
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));
    // THEN describing it is a 404
    const err = await caught(client.send(new DescribePhoneNumberCommand({ PhoneNumberId: id })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  test('a released number is in cooldown: not claimable with the not-available message', async () => {
    // GIVEN a number just released
    const id = await claimed('+12065550131');
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));
    // WHEN it is claimed again
    const err = await caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550131' })));
    // THEN it is not available and listed as cooling down
    expect(err.message).toBe('Phone number not available: +12065550131');
    expect(emulator.releasedNumbers().map((r) => r.phoneNumber)).toEqual(['+12065550131']);
  });

  test('a released number in cooldown does not show up in search', async () => {
    // GIVEN the first DID of the inventory released
    const id = await claimed('+12065550100');
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));
    // WHEN searching with its prefix
    const out = await client.send(
      new SearchAvailablePhoneNumbersCommand({
        InstanceId: INSTANCE_ID,
        PhoneNumberCountryCode: 'US',
        PhoneNumberType: 'DID',
        PhoneNumberPrefix: '+12065550100',
      }),
    );
    // THEN it is not offered
    expect(out.AvailableNumbersList).toEqual([]);
  });

  test('after the cooldown a released number can be claimed again', async () => {
    // GIVEN a 30 ms cooldown and a released number
    emulator.configure({ cooldownMs: 30 });
    const id = await claimed('+12065550132');
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));
    await sleep(50);
    // WHEN it is claimed again
    const out = await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550132' }));
    // THEN a new record with a new id is created
    expect(out.PhoneNumberId).not.toBe(id);
  });

  test('the default cooldown lasts 180 days of the emulator clock', async () => {
    // GIVEN a number released, and 179 days passed
    const id = await claimed('+12065550138');
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));
    emulator.advanceClock(179 * 24 * 3600 * 1000);
    const during = await caught(client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550138' })));
    // WHEN the 180th day has passed
    emulator.advanceClock(24 * 3600 * 1000);
    const after = await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550138' }));
    // THEN it was unavailable until then and is claimable now
    expect(during.message).toBe('Phone number not available: +12065550138');
    expect(after.PhoneNumberId).toBeDefined();
  });

  test('releasing a number whose claim is in progress is ResourceInUseException', async () => {
    // GIVEN a claim still IN_PROGRESS (long latency)
    emulator.configure({ claimLatencyMs: 10_000 });
    const { PhoneNumberId } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550133' }),
    );
    emulator.configure({ claimLatencyMs: LATENCY_MS });
    // WHEN it is released
    const err = await caught(client.send(new ReleasePhoneNumberCommand({ PhoneNumberId })));
    // THEN 409 ResourceInUseException saying an operation is in progress, carrying the resource
    expect(err.error).toBeInstanceOf(ResourceInUseException);
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/operation in progress/);
    expect(err.error.ResourceType).toBe('PHONE_NUMBER');
    expect(err.error.ResourceId).toBe(emulator.numberByPhone('+12065550133')?.arn);
  });

  test('a number associated with a contact flow can be released', async () => {
    // GIVEN a claimed number with a flow associated
    emulator.addContactFlow(INSTANCE_ID, 'flow-1');
    const id = await claimed('+12065550134');
    await client.send(
      new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-1' }),
    );
    // WHEN it is released
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));
    // THEN the release is done (admin guide: the flow is deactivated until another number is associated with it)
    expect(emulator.releasedNumbers().map((r) => r.phoneNumber)).toEqual(['+12065550134']);
    expect(emulator.releasedNumbers()[0].history.map((h) => h.event)).toContain('contact-flow-deactivated');
  });

  test('after disassociating the flow the number can be released', async () => {
    // GIVEN a number whose flow was associated out of band and then disassociated
    const id = await claimed('+12065550135');
    emulator.associateFlowOutOfBand(id, 'flow-2');
    await client.send(new DisassociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID }));
    // WHEN released
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));
    // THEN it is gone from the claimed numbers
    expect(emulator.claimedNumbers()).toEqual([]);
  });

  test('releasing a FAILED claim removes it without a cooldown', async () => {
    // GIVEN a claim that ends FAILED
    emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
    const { PhoneNumberId } = await client.send(
      new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550136' }),
    );
    await sleep(SETTLE_MS);
    // WHEN it is released
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId }));
    // THEN nothing is cooling down and the number can be claimed at once
    expect(emulator.releasedNumbers()).toEqual([]);
    const again = await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550136' }));
    expect(again.PhoneNumberId).toBeDefined();
  });

  test('releasing an unknown id is ResourceNotFoundException', async () => {
    // GIVEN no such number WHEN released THEN 404
    const err = await caught(client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: 'e0000000-0000-4000-8000-000000000000' })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.status).toBe(404);
  });

  test('the SDK sends the release ClientToken as the clientToken query parameter', async () => {
    // GIVEN a claimed number WHEN released with an explicit token
    const id = await claimed('+12065550137');
    await client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id, ClientToken: '33333333-3333-4333-8333-333333333333' }));
    // THEN the call log shows the token bound from the query string
    const release = emulator.calls.find((c) => c.operation === 'ReleasePhoneNumber');
    expect(release?.clientToken).toBe('33333333-3333-4333-8333-333333333333');
  });
});
