/**
 * The numbers this library owns in the account and Region: every number listed, then described one by one,
 * because only DescribePhoneNumber returns a number's tags (ListPhoneNumbersV2 does not, and no documented
 * bulk read of Connect phone-number tags exists). Cost: ceil(n / 1000) list calls plus n describes, paced at
 * Connect's rate (pacer.ts): about n / 2 seconds.
 */
import { ClaimedPhoneNumberSummary, ListPhoneNumbersSummary } from '@aws-sdk/client-connect';
import { ConnectGateway } from '../lambda/connect-gateway';
import { parseOwnerTag } from '../lambda/ownership';
import { OwnershipTag } from '../lib/shared/contract';

export interface OwnedNumber {
  readonly summary: ClaimedPhoneNumberSummary;
  /** The owner tag split: the stack name (or a nested stack's path from its root) and the logical id. */
  readonly scope: string;
  readonly logicalId: string;
}

/** Describes in flight at once; the pacer sets the rate, this only hides each call's latency. */
const CONCURRENCY = 4;

/** Describes each listed number and keeps those with the library's owner tag. */
export async function describeOwned(
  listed: readonly ListPhoneNumbersSummary[],
  gateway: ConnectGateway,
  onProgress: (done: number, total: number) => void,
): Promise<OwnedNumber[]> {
  const owned: (OwnedNumber | undefined)[] = new Array(listed.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < listed.length) {
      const index = next++;
      const summary = await gateway.describe(listed[index].PhoneNumberArn!);
      const owner = parseOwnerTag(summary?.Tags?.[OwnershipTag.OWNER]);
      // Released between the list and the describe, or not this library's: not listed.
      owned[index] = summary && owner ? { summary, scope: owner.scope, logicalId: owner.logicalId } : undefined;
      onProgress(++done, listed.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, listed.length) }, worker));
  return owned.filter((number): number is OwnedNumber => number !== undefined);
}
