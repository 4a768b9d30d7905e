/**
 * Getting a number for a Create (or a replacement): claim the declared number, or search and claim one;
 * and when Connect says the number is taken, find out whether it is ours to take (an earlier, interrupted
 * attempt of this resource; the resource this construct moved from; a number the user asked to adopt).
 */
import { createHash } from 'crypto';
import { OwnershipTag, RESERVED_TAG_KEYS } from '../lib/shared/contract';
import { deriveClientToken, TokenScope } from './client-token';
import { ClaimedNumberRef, ClaimRequest, ConnectGateway, errorMessage, errorName } from './connect-gateway';
import { NumberNotAvailableError, NumberNotOwnedError } from './errors';
import { Logger } from './logger';
import { Owner, OwnerScope } from './ownership';
import { DesiredNumber, NumberSearch } from './resource-properties';
import { isRetryable } from './retry';

export interface ClaimedNumber extends ClaimedNumberRef {
  readonly phoneNumber: string;
}

/** How many pages of 10 search results are tried before giving up. */
const MAX_SEARCH_PAGES = 5;

export class NumberClaimer {
  private readonly owner: Owner;

  constructor(
    /** The request; PhysicalResourceId is set when the claim replaces a number (an Update). */
    private readonly event: TokenScope & OwnerScope & { readonly PhysicalResourceId?: string },
    private readonly connect: ConnectGateway,
    private readonly log: Logger,
  ) {
    this.owner = Owner.of(event);
  }

  claim(desired: DesiredNumber): Promise<ClaimedNumber> {
    return desired.search ? this.searchAndClaim(desired, desired.search) : this.claimNumber(desired, desired.phoneNumber!);
  }

  /** Tags the desired user tags should replace on a number this resource takes: all but the reserved ones. */
  static userTagsOf(tags: { [key: string]: string } | undefined): { [key: string]: string } {
    return Object.fromEntries(Object.entries(tags ?? {}).filter(([key]) => !RESERVED_TAG_KEYS.includes(key)));
  }

  private async claimNumber(desired: DesiredNumber, phoneNumber: string): Promise<ClaimedNumber> {
    try {
      const ref = await this.connect.claim(
        this.claimRequest(desired, phoneNumber, deriveClientToken(this.event, 'ClaimPhoneNumber', phoneNumber, desired.target.key())),
      );
      return { ...ref, phoneNumber };
    } catch (error) {
      // Only "not available" and failures whose outcome is unknown (the claim may have happened) are worth
      // a look; any other answer means nothing was claimed.
      if (!isNotAvailable(error) && !isRetryable(error)) {
        throw error;
      }
      const recovered = await this.recoverClaimed(desired, phoneNumber);
      if (recovered) {
        return recovered;
      }
      if (isNotAvailable(error)) {
        throw new NumberNotAvailableError(
          `Connect says ${phoneNumber} is not available to claim, and it is not claimed in this account. ` +
            'A number is unavailable during its cooldown (up to 180 days after it was released), while another ' +
            'AWS account holds it, or when Connect does not offer it in this Region. Choose another number ' +
            '(aws connect search-available-phone-numbers lists claimable ones).',
        );
      }
      throw error;
    }
  }

  /**
   * Searches and claims one candidate. Every candidate is claimed with the same ClientToken (derived from
   * the request and the criteria): when an earlier delivery of this request already claimed a number,
   * Connect answers the claim of any other candidate with IdempotencyException instead of claiming a
   * second one, and the handler then looks up the number it holds. A candidate taken by somebody else
   * between search and claim is skipped for the next one.
   */
  private async searchAndClaim(desired: DesiredNumber, search: NumberSearch): Promise<ClaimedNumber> {
    const clientToken = deriveClientToken(
      this.event,
      'SearchAndClaimPhoneNumber',
      desired.target.key(),
      search.countryCode,
      search.type,
      search.prefix ?? '',
    );
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
      const results = await this.connect.searchAvailable(desired.target, search, nextToken);
      for (const candidate of this.spread(results.numbers)) {
        try {
          const ref = await this.connect.claim(this.claimRequest(desired, candidate, clientToken));
          this.log.info('Claimed a number found by search', { phoneNumber: candidate, phoneNumberArn: ref.arn });
          return { ...ref, phoneNumber: candidate };
        } catch (error) {
          if (isNotAvailable(error)) {
            this.log.info('A candidate was taken between search and claim; trying the next', { phoneNumber: candidate });
            continue;
          }
          if (errorName(error) === 'IdempotencyException') {
            return this.requireOwnSearchClaim(desired, search);
          }
          throw error;
        }
      }
      nextToken = results.nextToken;
      if (!nextToken) break;
    }
    // An earlier delivery may have taken the last candidate for itself.
    const own = await this.findOwnSearchClaim(desired, search);
    if (own) {
      return own;
    }
    throw new NumberNotAvailableError(
      `No ${search.type} number in ${search.countryCode}${search.prefix ? ` starting with ${search.prefix}` : ''} is available ` +
        `to claim to ${desired.target}. Widen the search (a shorter prefix, another type), or ask AWS Support for numbers.`,
    );
  }

  private async requireOwnSearchClaim(desired: DesiredNumber, search: NumberSearch): Promise<ClaimedNumber> {
    const own = await this.findOwnSearchClaim(desired, search);
    if (!own) {
      throw new NumberNotAvailableError(
        'An earlier attempt of this request claimed a number with the same ClientToken, but no number matching the ' +
          `search and owned by this resource is claimed to ${desired.target}. Retry the deployment.`,
      );
    }
    return own;
  }

  /** The number matching the search that this resource already holds (an earlier delivery claimed it). */
  private async findOwnSearchClaim(desired: DesiredNumber, search: NumberSearch): Promise<ClaimedNumber | undefined> {
    for (const ref of await this.connect.listClaimedMatching(desired.target, search)) {
      if (ref.arn === this.event.PhysicalResourceId) {
        // A replacement's search may also match the number being replaced: that one is not this request's.
        continue;
      }
      const summary = await this.connect.describe(ref.arn);
      const kind = this.owner.relationTo(summary?.Tags).kind;
      if (summary && (kind === 'OWNED' || kind === 'OWNED_AFTER_HANDOVER')) {
        this.log.info('Found the number an earlier delivery of this request claimed', { phoneNumberArn: ref.arn });
        return { ...ref, phoneNumber: summary.PhoneNumber! };
      }
    }
    return undefined;
  }

  /** A number already claimed in the account that this resource may take: its own, its moved twin's, or one to adopt. */
  private async recoverClaimed(desired: DesiredNumber, phoneNumber: string): Promise<ClaimedNumber | undefined> {
    const found = await this.connect.findClaimed(phoneNumber);
    const summary = found && (await this.connect.describe(found.arn));
    if (!found || !summary) {
      return undefined;
    }
    const relation = this.owner.relationTo(summary.Tags);
    const where = summary.InstanceId ? `instance ${summary.InstanceId}` : `target ${summary.TargetArn}`;
    switch (relation.kind) {
      case 'OWNED':
      case 'OWNED_AFTER_HANDOVER':
        this.log.info('Taking back a number this resource claimed in an earlier, interrupted attempt', { phoneNumberArn: found.arn });
        break;
      case 'SIBLING':
        // The construct moved in the tree: CloudFormation creates the new logical id before it deletes the
        // old one. Record where the number came from, so that a rollback can hand it back.
        this.log.info('Taking over the number from the resource it moved from', {
          phoneNumberArn: found.arn,
          previousLogicalId: relation.ownerLogicalId,
        });
        await this.connect.tag(found.arn, { [OwnershipTag.OWNER]: this.owner.tagValue, [OwnershipTag.HANDOVER_FROM]: relation.ownerLogicalId });
        break;
      case 'FOREIGN':
        if (!desired.adoptExisting) {
          throw new NumberNotOwnedError(
            `${phoneNumber} is already claimed in this account (${found.arn}, ${where}) but not by this resource: ` +
              `its "${OwnershipTag.OWNER}" tag is ${relation.ownerTag ? `"${relation.ownerTag}"` : 'missing'}. ` +
              'ClaimedPhoneNumber never takes over, changes or releases a number it did not claim. To manage this ' +
              'number from now on, set adoptExisting: true; to refer to it without managing it, use ' +
              `ClaimedPhoneNumber.fromPhoneNumberArn(this, 'Id', '${found.arn}').`,
          );
        }
        if (!desired.target.isWhere(summary)) {
          throw new NumberNotOwnedError(
            `adoptExisting takes over ${phoneNumber} only where it is already claimed: it is claimed to ${where}, and ` +
              `this resource declares ${desired.target}. Declare that target to adopt it (you can move it afterwards).`,
          );
        }
        this.log.info('Adopting a number claimed outside this stack', { phoneNumberArn: found.arn, previousOwnerTag: relation.ownerTag });
        await this.connect.tag(found.arn, { [OwnershipTag.OWNER]: this.owner.tagValue });
        break;
    }
    await applyTagChanges(this.connect, found.arn, NumberClaimer.userTagsOf(summary.Tags), desired.tags);
    return { ...found, phoneNumber };
  }

  private claimRequest(desired: DesiredNumber, phoneNumber: string, clientToken: string): ClaimRequest {
    return {
      phoneNumber,
      target: desired.target,
      description: desired.description || undefined,
      tags: { ...desired.tags, [OwnershipTag.OWNER]: this.owner.tagValue },
      clientToken,
    };
  }

  /**
   * Orders candidates by a hash of this resource and the number, so that resources searching the same
   * prefix at the same time try different numbers first instead of all racing for the first one.
   */
  private spread(candidates: string[]): string[] {
    const rank = (candidate: string) =>
      createHash('sha256').update(`${this.event.StackId}|${this.event.LogicalResourceId}|${candidate}`).digest('hex');
    return [...candidates].sort((a, b) => rank(a).localeCompare(rank(b)));
  }
}

/**
 * Removed keys get UntagResource, added or changed ones TagResource; nothing else is touched. Removing
 * first keeps a number at its declared count throughout, so a full set of tags never exceeds Connect's 50.
 */
export async function applyTagChanges(
  connect: ConnectGateway,
  arn: string,
  previous: { [key: string]: string },
  desired: { [key: string]: string },
): Promise<void> {
  const changed = Object.fromEntries(Object.entries(desired).filter(([key, value]) => previous[key] !== value));
  const removed = Object.keys(previous).filter((key) => !(key in desired));
  if (removed.length > 0) {
    await connect.untag(arn, removed);
  }
  if (Object.keys(changed).length > 0) {
    await connect.tag(arn, changed);
  }
}

function isNotAvailable(error: unknown): boolean {
  return errorName(error) === 'InvalidParameterException' && /not available/i.test(errorMessage(error));
}
