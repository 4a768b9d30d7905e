/** One number's release, against a gateway stub: what is re-checked before anything is sent. */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { InventoryEntry } from '../../cli/classify';
import { releaseNumber } from '../../cli/release-number';
import { ConnectGateway } from '../../lambda/connect-gateway';
import { systemClock } from '../../lambda/retry';

const ARN = 'arn:aws:connect:us-east-1:123456789012:phone-number/11111111-0000-4000-8000-000000000001';
const entry: InventoryEntry = {
  phoneNumber: '+12065550130',
  phoneNumberArn: ARN,
  phoneNumberId: '11111111-0000-4000-8000-000000000001',
  status: 'CLAIMED',
  target: 'instance-1',
  stackName: 'Numbers',
  logicalId: 'Archive',
  state: 'kept',
  reason: 'kept',
  drift: null,
};
const TIMING = { pollMs: 1, waitMs: 100 };

function gatewayShowing(summary: ClaimedPhoneNumberSummary | undefined): { gateway: ConnectGateway; released: string[] } {
  const released: string[] = [];
  const gateway = {
    describe: async () => summary,
    release: async (arn: string) => {
      released.push(arn);
    },
  } as unknown as ConnectGateway;
  return { gateway, released };
}

test('a kept number that a deploy took back since it was listed is skipped', async () => {
  // GIVEN the number no longer carries its kept mark (the next deploy took it back)
  const { gateway, released } = gatewayShowing({ PhoneNumberArn: ARN, PhoneNumberStatus: { Status: 'CLAIMED' }, Tags: { 'claimed-phone-number:owner': 'Numbers/Archive' } });
  // WHEN it is released THEN nothing is sent
  expect(await releaseNumber(entry, 'token', gateway, systemClock, TIMING)).toBe('changed');
  expect(released).toEqual([]);
});

test('a number Connect no longer knows counts as already released', async () => {
  const { gateway, released } = gatewayShowing(undefined);
  expect(await releaseNumber(entry, 'token', gateway, systemClock, TIMING)).toBe('already-gone');
  expect(released).toEqual([]);
});
