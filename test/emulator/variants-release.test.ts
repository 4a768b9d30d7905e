import {
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  ReleasePhoneNumberCommand,
  UpdatePhoneNumberMetadataCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator, EmulatorVariants, variantOptions } from '../../emulator';
import { caught, claimNumber, describeNumber, INSTANCE_ID, LATENCY_MS, SETTLE_MS, sleep, useTestEmulator } from './helpers';

function withVariants(variants: Partial<EmulatorVariants>, use: (emulator: ConnectEmulator, client: ConnectClient) => void): void {
  useTestEmulator(use, { ...variantOptions(variants), releaseLatencyMs: LATENCY_MS });
}

async function claimed(client: ConnectClient, phoneNumber: string, description?: string): Promise<string> {
  const { PhoneNumberId } = await claimNumber(client, phoneNumber, { InstanceId: INSTANCE_ID }, { PhoneNumberDescription: description });
  await sleep(SETTLE_MS);
  return PhoneNumberId as string;
}

async function failed(emulator: ConnectEmulator, client: ConnectClient, phoneNumber: string): Promise<string> {
  emulator.faults.add({ operation: 'ClaimPhoneNumber', kind: 'claimFailed' });
  return claimed(client, phoneNumber);
}

const release = (client: ConnectClient, id: string) => client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: id }));

describe('releaseFailedNumber=accept (default)', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({}, (e, c) => {
    emulator = e;
    client = c;
  });

  test('releasing a FAILED number succeeds and it is gone', async () => {
    // GIVEN a FAILED claim WHEN it is released
    const id = await failed(emulator, client, '+12065550190');
    await release(client, id);
    // THEN describing it is 404
    expect((await caught(describeNumber(client, id))).name).toBe('ResourceNotFoundException');
  });
});

describe.each([
  ['invalidParameter', 'InvalidParameterException', 400],
  ['resourceNotFound', 'ResourceNotFoundException', 404],
] as const)('releaseFailedNumber=%s', (value, errorName, status) => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({ releaseFailedNumber: value }, (e, c) => {
    emulator = e;
    client = c;
  });

  test(`releasing a FAILED number is ${errorName} and the number stays FAILED`, async () => {
    // GIVEN a FAILED claim WHEN it is released
    const id = await failed(emulator, client, '+12065550191');
    const err = await caught(release(client, id));
    // THEN the release is refused
    expect([err.name, err.status]).toEqual([errorName, status]);
    expect((await describeNumber(client, id))?.PhoneNumberStatus?.Status).toBe('FAILED');
  });
});

describe('releaseMode=synchronous (default)', () => {
  let client: ConnectClient;
  withVariants({}, (_e, c) => (client = c));

  test('a released number is not found as soon as the release answers', async () => {
    // GIVEN a CLAIMED number WHEN it is released and described at once THEN 404
    const id = await claimed(client, '+12065550192');
    await release(client, id);
    expect((await caught(describeNumber(client, id))).name).toBe('ResourceNotFoundException');
  });
});

describe('releaseMode=asynchronous', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({ releaseMode: 'asynchronous' }, (e, c) => {
    emulator = e;
    client = c;
  });

  test('a released number is IN_PROGRESS first and then not found', async () => {
    // GIVEN a CLAIMED number WHEN it is released and described during and after the release latency
    const id = await claimed(client, '+12065550193');
    await release(client, id);
    const during = await describeNumber(client, id);
    await sleep(SETTLE_MS);
    // THEN IN_PROGRESS, then 404 (what Terraform's waitPhoneNumberDeleted waits for)
    expect(during?.PhoneNumberStatus?.Status).toBe('IN_PROGRESS');
    expect((await caught(describeNumber(client, id))).name).toBe('ResourceNotFoundException');
  });

  test('a second release while the first is in progress is ResourceInUseException', async () => {
    // GIVEN a release in progress WHEN released again with a fresh token THEN 409
    const id = await claimed(client, '+12065550194');
    await release(client, id);
    expect((await caught(release(client, id))).name).toBe('ResourceInUseException');
  });

  test('the number cools down once the release completes', async () => {
    // GIVEN a completed asynchronous release WHEN the released numbers are inspected
    const id = await claimed(client, '+12065550195');
    await release(client, id);
    await sleep(SETTLE_MS);
    // THEN it is cooling down
    expect(emulator.releasedNumbers().map((r) => r.phoneNumber)).toEqual(['+12065550195']);
  });
});

async function withFlow(emulator: ConnectEmulator, client: ConnectClient, phoneNumber: string): Promise<string> {
  emulator.addContactFlow(INSTANCE_ID, 'flow-1');
  const id = await claimed(client, phoneNumber);
  await client.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-1' }));
  return id;
}

describe('releaseInUseWhen=operationInProgress (default)', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({}, (e, c) => {
    emulator = e;
    client = c;
  });

  test('a flow association does not block the release', async () => {
    // GIVEN a number with a flow WHEN it is released THEN it succeeds
    const id = await withFlow(emulator, client, '+12065550196');
    expect((await release(client, id)).$metadata.httpStatusCode).toBe(200);
  });

  test('an operation in progress blocks the release', async () => {
    // GIVEN a metadata update in progress WHEN released THEN 409 naming the operation
    const id = await claimed(client, '+12065550197');
    await client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: id, PhoneNumberDescription: 'x' }));
    const err = await caught(release(client, id));
    expect([err.name, err.message]).toEqual(['ResourceInUseException', expect.stringMatching(/operation in progress \(metadata\)/)]);
  });
});

describe('releaseInUseWhen=operationInProgressOrFlowAssociation', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  withVariants({ releaseInUseWhen: 'operationInProgressOrFlowAssociation' }, (e, c) => {
    emulator = e;
    client = c;
  });

  test('releasing a number associated with a contact flow is ResourceInUseException and it stays claimed', async () => {
    // GIVEN a number with a flow WHEN it is released
    const id = await withFlow(emulator, client, '+12065550198');
    const err = await caught(release(client, id));
    // THEN 409 saying it is associated with the flow, and it is still CLAIMED
    expect([err.name, err.status]).toEqual(['ResourceInUseException', 409]);
    expect(err.message).toMatch(/associated with contact flow flow-1/);
    expect(emulator.numberByPhone('+12065550198')?.status).toBe('CLAIMED');
  });
});

describe('emptyDescriptionUpdate', () => {
  const update = (client: ConnectClient, id: string, description: string) =>
    client.send(new UpdatePhoneNumberMetadataCommand({ PhoneNumberId: id, PhoneNumberDescription: description }));

  describe('clears (default)', () => {
    let client: ConnectClient;
    withVariants({}, (_e, c) => (client = c));

    test('an empty description removes the description', async () => {
      // GIVEN a number described as "old" WHEN its description is set to ""
      const id = await claimed(client, '+12065550199', 'old');
      await update(client, id, '');
      await sleep(SETTLE_MS);
      // THEN DescribePhoneNumber has no description
      expect((await describeNumber(client, id))?.PhoneNumberDescription).toBeUndefined();
    });
  });

  describe('refused', () => {
    let client: ConnectClient;
    withVariants({ emptyDescriptionUpdate: 'refused' }, (_e, c) => (client = c));

    test('an empty description is InvalidParameterException and the number is untouched', async () => {
      // GIVEN a number described as "old" WHEN its description is set to ""
      const id = await claimed(client, '+12065550100', 'old');
      const err = await caught(update(client, id, ''));
      // THEN 400, and it is CLAIMED with its old description
      expect(err.name).toBe('InvalidParameterException');
      expect(await describeNumber(client, id)).toMatchObject({ PhoneNumberDescription: 'old', PhoneNumberStatus: { Status: 'CLAIMED' } });
    });
  });

  describe('ignored', () => {
    let client: ConnectClient;
    withVariants({ emptyDescriptionUpdate: 'ignored' }, (_e, c) => (client = c));

    test('an empty description is accepted and changes nothing', async () => {
      // GIVEN a number described as "old" WHEN its description is set to "" and the update completes
      const id = await claimed(client, '+12065550101', 'old');
      await update(client, id, '');
      await sleep(SETTLE_MS);
      // THEN the old description is still there
      expect((await describeNumber(client, id))?.PhoneNumberDescription).toBe('old');
    });
  });
});
