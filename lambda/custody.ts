/**
 * Who holds a number, decided from what Connect and CloudFormation hold rather than from the event alone.
 * The owner tags say which resource claimed or took a number; the stack says whether a handover between two
 * resources (a construct moved in the tree) really completed. A handover is one TagResource call (owner and
 * handover-from together), but the resource that made it may still fail: its Create then ends with the
 * framework's CREATE_FAILED marker and CloudFormation forgets it. Only the stack can tell, so a number
 * handed to a resource the stack does not hold with that number is still the giver's.
 */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { MAX_TAGS_PER_NUMBER, OwnershipTag } from '../lib/shared/contract';
import { ConnectGateway, errorMessage } from './connect-gateway';
import { Logger } from './logger';
import { signalKept } from './kept-signal';
import { Owner } from './ownership';
import { Clock } from './retry';
import { StackReader } from './stack-reader';

export type Custody =
  /** This resource holds the number (possibly after a handover that never completed, or a rollback kept it). */
  | { readonly kind: 'MINE' }
  /** This resource took the number over from a sibling that still holds it in the stack: a move under way. */
  | { readonly kind: 'TAKEN_OVER'; readonly fromLogicalId: string }
  /** This resource handed the number to a sibling that holds it now: a completed move. */
  | { readonly kind: 'HANDED_OVER'; readonly toLogicalId: string }
  /** Another resource of this stack holds the number. */
  | { readonly kind: 'SIBLING'; readonly ownerLogicalId: string }
  /** A ClaimedPhoneNumber of another stack holds it. */
  | { readonly kind: 'OTHER_STACK'; readonly stackName: string; readonly logicalId: string }
  /** Claimed outside this library (by hand, CfnPhoneNumber, another tool). */
  | { readonly kind: 'FOREIGN'; readonly ownerTag: string | undefined };

export class CustodyKeeper {
  constructor(
    readonly owner: Owner,
    private readonly stack: StackReader,
    private readonly connect: ConnectGateway,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  /** Who holds `summary`'s number, with handovers checked against the stack. */
  async of(summary: ClaimedPhoneNumberSummary): Promise<Custody> {
    const arn = summary.PhoneNumberArn!;
    const relation = this.owner.relationTo(summary.Tags);
    switch (relation.kind) {
      case 'OWNED':
        return { kind: 'MINE' };
      case 'OWNED_AFTER_HANDOVER':
        // Handed from itself: a repair of an incomplete handover was interrupted between its two tag calls.
        if (relation.previousLogicalId === this.owner.logicalId) {
          return { kind: 'MINE' };
        }
        return (await this.stack.physicalIdOf(relation.previousLogicalId)) === arn
          ? { kind: 'TAKEN_OVER', fromLogicalId: relation.previousLogicalId }
          : { kind: 'MINE' };
      case 'SIBLING':
        if (!relation.handedOverFromMe) {
          return { kind: 'SIBLING', ownerLogicalId: relation.ownerLogicalId };
        }
        // A handover completes when the new resource answered CloudFormation with this number.
        return (await this.stack.physicalIdOf(relation.ownerLogicalId)) === arn
          ? { kind: 'HANDED_OVER', toLogicalId: relation.ownerLogicalId }
          : { kind: 'MINE' };
      case 'OTHER_STACK':
        return relation;
      case 'FOREIGN':
        return relation;
    }
  }

  /**
   * Makes the tags say that this resource, and nothing else, holds the number: the owner tag set, no
   * handover or kept-by-rollback marker left. One call for each kind of change, none when nothing changes.
   */
  async takeIntoUse(summary: ClaimedPhoneNumberSummary, extraTags: { [key: string]: string } = {}): Promise<void> {
    const tags = summary.Tags ?? {};
    const set = { ...extraTags, ...(tags[OwnershipTag.OWNER] !== this.owner.tagValue ? { [OwnershipTag.OWNER]: this.owner.tagValue } : {}) };
    const markers = [OwnershipTag.HANDOVER_FROM, OwnershipTag.KEPT_BY_ROLLBACK].filter((key) => key in tags);
    if (Object.keys(set).length > 0) {
      await this.connect.tag(summary.PhoneNumberArn!, set);
    }
    if (markers.length > 0) {
      await this.connect.untag(summary.PhoneNumberArn!, markers);
    }
  }

  /**
   * The stack did not let the number go (release-rule.ts): keep it claimed and owned by this resource, marked
   * with the reason and time, so that the next deploy of the resource takes it back without claiming and
   * `cdk-claimed-phone-number list` shows it; say so in a WARN line with a metric; and note its id on
   * `holder` (the number the stack holds for this resource, if any), so that the stack's delete releases it
   * too without searching the account.
   */
  async keep(summary: ClaimedPhoneNumberSummary, reason: string, holder?: ClaimedPhoneNumberSummary): Promise<void> {
    const arn = summary.PhoneNumberArn!;
    const at = this.clock.now();
    signalKept(this.log, { phoneNumberArn: arn, phoneNumber: summary.PhoneNumber, reason, owner: this.owner.tagValue, stackName: this.owner.ownStackName, at });
    try {
      await this.connect.tag(arn, { [OwnershipTag.OWNER]: this.owner.tagValue, [OwnershipTag.KEPT_BY_ROLLBACK]: `${reason}@${new Date(at).toISOString()}` });
      if (OwnershipTag.HANDOVER_FROM in (summary.Tags ?? {})) {
        await this.connect.untag(arn, [OwnershipTag.HANDOVER_FROM]);
      }
    } catch (error) {
      // The owner tag written by the claim already records the number as this resource's: the marker is a
      // convenience for people, and a rollback must not fail over it (a FAILED number may refuse tags).
      this.log.warn('Could not mark the kept number; its owner tag still records it', { phoneNumberArn: arn, error: errorMessage(error) });
    }
    if (holder && holder.PhoneNumberArn !== arn && this.owner.relationTo(holder.Tags).kind === 'OWNED') {
      await this.noteKeptOn(holder, [summary.PhoneNumberId ?? arn.slice(arn.lastIndexOf('/') + 1)]);
    }
  }

  /**
   * Adds `keptIds` to the holder's list of kept numbers. The list is a shortcut for the stack's delete, not a
   * record anything else relies on: where the holder has no room for another tag (Connect's 50) or the value
   * would be too long, the kept number is left to `cdk-claimed-phone-number list`, which finds it by its owner tag.
   */
  async noteKeptOn(holder: ClaimedPhoneNumberSummary, keptIds: readonly string[]): Promise<void> {
    const tags = holder.Tags ?? {};
    const ids = keptNumberIds(tags);
    const added = keptIds.filter((id) => !ids.includes(id));
    if (added.length === 0) {
      return;
    }
    const value = [...ids, ...added].join(' ');
    const userTagCount = Object.keys(tags).filter((key) => !key.startsWith('aws:')).length;
    if (value.length > MAX_TAG_VALUE_LENGTH || (!(OwnershipTag.KEPT_NUMBERS in tags) && userTagCount >= MAX_TAGS_PER_NUMBER)) {
      this.log.warn('No room to note the kept number on the number this resource holds; `cdk-claimed-phone-number list` finds it', {
        holder: holder.PhoneNumberArn,
        keptIds: added,
      });
      return;
    }
    try {
      await this.connect.tag(holder.PhoneNumberArn!, { [OwnershipTag.KEPT_NUMBERS]: value });
    } catch (error) {
      this.log.warn('Could not note the kept number on the number this resource holds', { holder: holder.PhoneNumberArn, error: errorMessage(error) });
    }
  }
}

const MAX_TAG_VALUE_LENGTH = 256;

/** The ids in a number's kept-numbers tag. */
export function keptNumberIds(tags: { [key: string]: string } | undefined): string[] {
  return (tags?.[OwnershipTag.KEPT_NUMBERS] ?? '').split(' ').filter((id) => id.length > 0);
}
