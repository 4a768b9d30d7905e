import {
  AssociatePhoneNumberContactFlowCommand,
  ClaimPhoneNumberCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../emulator';
import { caught, INSTANCE_ID, OTHER_INSTANCE_ID, useTestEmulator } from './helpers';

describe('AssociatePhoneNumberContactFlow and DisassociatePhoneNumberContactFlow', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  let id: string;

  useTestEmulator((started, startedClient) => {
    emulator = started;
    client = startedClient;
  });
  // Runs after the shared setup's reset.
  beforeEach(async () => {
    emulator.addContactFlow(INSTANCE_ID, 'flow-1');
    const out = await client.send(new ClaimPhoneNumberCommand({ InstanceId: INSTANCE_ID, PhoneNumber: '+12065550160' }));
    id = out.PhoneNumberId as string;
  });

  test('associating an existing flow records it on the number', async () => {
    // GIVEN a flow in the number's instance WHEN associated
    await client.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-1' }));
    // THEN the record carries the flow id
    expect(emulator.numberByPhone('+12065550160')?.contactFlowId).toBe('flow-1');
  });

  test('disassociating clears the flow, with InstanceId sent as the instanceId query parameter', async () => {
    // GIVEN an associated flow
    await client.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-1' }));
    // WHEN disassociated
    await client.send(new DisassociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID }));
    // THEN the flow is gone and the call log shows the bound InstanceId
    expect(emulator.numberByPhone('+12065550160')?.contactFlowId).toBeUndefined();
    expect(emulator.calls.at(-1)?.input).toEqual({ PhoneNumberId: id, InstanceId: INSTANCE_ID });
  });

  test('associating a flow that does not exist in the instance is ResourceNotFoundException', async () => {
    // GIVEN flow-1 exists only in the first instance WHEN another flow id is used
    const err = await caught(
      client.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: INSTANCE_ID, ContactFlowId: 'flow-x' })),
    );
    // THEN 404 naming the flow
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toContain('flow-x');
  });

  test('associating through an instance the number is not claimed to is ResourceNotFoundException', async () => {
    // GIVEN the flow exists in the other instance too
    emulator.addContactFlow(OTHER_INSTANCE_ID, 'flow-1');
    // WHEN associating via the other instance THEN 404
    const err = await caught(
      client.send(new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: id, InstanceId: OTHER_INSTANCE_ID, ContactFlowId: 'flow-1' })),
    );
    expect(err.name).toBe('ResourceNotFoundException');
  });

  test('associating without ContactFlowId is rejected as a missing required member', async () => {
    // GIVEN a raw request without ContactFlowId
    const res = await fetch(`${emulator.url}/phone-number/${id}/contact-flow`, {
      method: 'PUT',
      body: JSON.stringify({ InstanceId: INSTANCE_ID }),
    });
    // THEN 400 naming it
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Message: string }).Message).toBe('ContactFlowId is required but was not provided');
  });
});
