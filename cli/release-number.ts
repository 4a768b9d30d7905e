/**
 * Releases one number the way the handler does: contact flow association removed first when the template
 * declared one, ReleasePhoneNumber with a ClientToken derived from the ARN (release-token.ts), then waits
 * until Connect no longer knows the number (a release may finish asynchronously). Safe to run again after an
 * interruption: a number already gone counts as released, a release in progress is waited for, and the same
 * token makes a repeated request the same release.
 */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { ConnectGateway, errorMessage, errorName, isNotFound } from '../lambda/connect-gateway';
import { Clock } from '../lambda/retry';
import { CONTACT_FLOW_ARN_PATTERN } from '../lib/shared/validation';
import { OwnershipTag } from '../lib/shared/contract';
import { InventoryEntry } from './classify';
import { AwsFailure } from './errors';

export interface ReleaseTiming {
  /** Between two looks while waiting for the release to finish. */
  readonly pollMs: number;
  /** How long to wait for Connect to forget the number before reporting it as not done. */
  readonly waitMs: number;
}

export const DEFAULT_RELEASE_TIMING: ReleaseTiming = { pollMs: 2000, waitMs: 5 * 60 * 1000 };

export type ReleaseOutcome = 'released' | 'already-gone' | 'changed';

export async function releaseNumber(
  entry: InventoryEntry,
  token: string,
  gateway: ConnectGateway,
  clock: Clock,
  timing: ReleaseTiming,
): Promise<ReleaseOutcome> {
  const arn = entry.phoneNumberArn;
  const until = clock.now() + timing.waitMs;
  let requested = false;
  for (let look = 0; ; look++) {
    const now = await gateway.describe(arn);
    if (!now) return look === 0 ? 'already-gone' : 'released';
    if (!requested && !stillAsListed(entry, now)) return 'changed';
    // IN_PROGRESS: a release an interrupted run requested, or another operation; either way wait for it to end.
    if (!requested && now.PhoneNumberStatus?.Status !== 'IN_PROGRESS') {
      await disassociateDeclaredFlow(entry, gateway);
      await requestRelease(arn, token, now, gateway);
      requested = true;
      continue;
    }
    if (clock.now() + timing.pollMs > until) {
      throw new AwsFailure(
        `${entry.phoneNumber} (${arn}) is still ${now.PhoneNumberStatus?.Status ?? 'known'} after ${Math.round(timing.waitMs / 1000)} s` +
          (requested ? ': the release was requested; run the same command again to wait for it (it sends the same ClientToken).' : ': nothing was requested.'),
      );
    }
    await clock.sleep(timing.pollMs);
  }
}

async function disassociateDeclaredFlow(entry: InventoryEntry, gateway: ConnectGateway): Promise<void> {
  const flow = CONTACT_FLOW_ARN_PATTERN.exec(entry.declaredContactFlowArn ?? '');
  if (flow) {
    await gateway.disassociateFlow(entry.phoneNumberArn, { arn: entry.declaredContactFlowArn!, instanceId: flow[1], flowId: flow[2] });
  }
}

/**
 * Owned by the same resource, and still kept if it was listed kept: a deploy between the listing and the
 * release (the confirmation may wait) may have taken the number back.
 */
function stillAsListed(entry: InventoryEntry, now: ClaimedPhoneNumberSummary): boolean {
  const owner = now.Tags?.[OwnershipTag.OWNER];
  const listedOwner = `${entry.stackName}/${entry.logicalId}`;
  return owner === listedOwner && (entry.state !== 'kept' || now.Tags?.[OwnershipTag.KEPT_BY_ROLLBACK] !== undefined);
}

async function requestRelease(arn: string, token: string, now: ClaimedPhoneNumberSummary, gateway: ConnectGateway): Promise<void> {
  try {
    await gateway.release(arn, token);
  } catch (error) {
    if (isNotFound(error)) return;
    if (errorName(error) !== 'ResourceInUseException' || !now.InstanceId) throw error;
    // A flow associated outside any template is the one cause Connect gives besides an operation in progress.
    await gateway.disassociateFlow(arn, { arn: '', instanceId: now.InstanceId, flowId: '' });
    try {
      await gateway.release(arn, token);
    } catch (second) {
      if (isNotFound(second)) return;
      if (errorName(second) === 'ResourceInUseException' && /in progress/i.test(errorMessage(second))) return;
      throw second;
    }
  }
}
