/**
 * Getting a number for a Create (or a replacement): a number this resource already holds, else claim the
 * declared number, or search and claim one; and when Connect says the number is taken, find out whether it
 * is ours to take (kept by a rollback; an earlier, interrupted attempt of this resource; the resource this
 * construct moved from; a number the user asked to adopt) or declared twice.
 */
import { createHash } from 'crypto';
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { OwnershipTag, RESERVED_TAG_KEYS } from '../lib/shared/contract';
import { deriveClientToken, TokenScope } from './client-token';
import { ClaimedNumberRef, ClaimRequest, ConnectGateway, errorMessage, errorName } from './connect-gateway';
import { CustodyKeeper } from './custody';
import { ClaimRefusedError, NumberDeclaredTwiceError, NumberNotAvailableError, NumberNotOwnedError } from './errors';
import { Logger } from './logger';
import { Owner, OwnerScope } from './ownership';
import { describeNumber, DesiredNumber, NumberSearch } from './resource-properties';
import { Clock, isRetryable } from './retry';
import { StackReader } from './stack-reader';
import { Target } from './target';

export interface ClaimedNumber extends ClaimedNumberRef {
  readonly phoneNumber: string;
}

/** How many pages of 10 search results are tried before giving up. */
const MAX_SEARCH_PAGES = 5;

/** How often a number that should exist is looked up again while it may still be invisible. */
const VISIBILITY_POLL_MS = 5000;

export class NumberClaimer {
  private readonly owner: Owner;

  constructor(
    /** The request; PhysicalResourceId is set when the claim replaces a number (an Update). */
    private readonly event: TokenScope & OwnerScope & { readonly PhysicalResourceId?: string },
    private readonly connect: ConnectGateway,
    private readonly custody: CustodyKeeper,
    private readonly stack: StackReader,
    private readonly log: Logger,
    /** How long a new claim may stay invisible to ListPhoneNumbersV2, and the clock to wait it out. */
    private readonly visibility: { readonly clock: Clock; readonly graceMs: number },
  ) {
    // The custody keeper's owner carries the nested stack's owner scope, when there is one.
    this.owner = custody.owner;
  }

  /**
   * A number for `desired`: one this resource already holds (kept by a rollback, left by an interrupted
   * attempt, or the number of the construct it moved from), else a new claim.
   */
  claim(desired: DesiredNumber): Promise<ClaimedNumber> {
    if (desired.sourcePhoneNumberArn) {
      return this.importNumber(desired, desired.sourcePhoneNumberArn);
    }
    return desired.search ? this.searchAndClaim(desired, desired.search) : this.claimNumber(desired, desired.phoneNumber!);
  }

  /**
   * The number matching `desired` that this resource holds, found without claiming anything (a rollback
   * restores what it had; it never claims). `except` skips the number being replaced.
   */
  async findHeld(desired: DesiredNumber, except?: string): Promise<ClaimedPhoneNumberSummary | undefined> {
    for (const summary of await this.claimedMatching(desired, except)) {
      const custody = await this.custody.of(summary);
      if (custody.kind === 'MINE' || custody.kind === 'TAKEN_OVER') {
        return summary;
      }
    }
    return undefined;
  }

  /** Tags the desired user tags should replace on a number this resource takes: all but the reserved and `aws:` ones. */
  static userTagsOf(tags: { [key: string]: string } | undefined): { [key: string]: string } {
    return Object.fromEntries(Object.entries(tags ?? {}).filter(([key]) => !RESERVED_TAG_KEYS.includes(key) && !key.startsWith('aws:')));
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
      const notAvailable = isNotAvailable(error, desired.target);
      if (!notAvailable && !isRetryable(error)) {
        throw explainRefusal(error);
      }
      const found = await this.connect.findClaimed(phoneNumber);
      const summary = found && (await this.connect.describe(found.arn));
      if (summary) {
        return this.takeExisting(desired, summary);
      }
      if (notAvailable) {
        throw new NumberNotAvailableError(
          `Connect says ${phoneNumber} is not available to claim to ${desired.target} (${errorName(error)}: ${errorMessage(error)}), ` +
            'and it is not claimed in this account. A number is unavailable during its cooldown (up to 180 days after it ' +
            'was released; the account that released it cannot claim it back), while another AWS account holds it, or ' +
            'when Connect does not offer it in this Region' +
            (desired.target.isTrafficDistributionGroup() ? '; a traffic distribution group that is missing or not ACTIVE answers the same' : '') +
            '. Choose another number (aws connect search-available-phone-numbers lists claimable ones).',
        );
      }
      throw explainRefusal(error);
    }
  }

  /**
   * Imports an AWS End User Messaging SMS number into the declared instance. When Connect refuses (the number
   * is already imported or claimed; what it answers then is not documented) or the outcome is unknown, the
   * number is looked up by its source ARN and taken like a number found after a refused claim.
   */
  private async importNumber(desired: DesiredNumber, source: string): Promise<ClaimedNumber> {
    try {
      const ref = await this.connect.importNumber({
        sourcePhoneNumberArn: source,
        instanceId: desired.target.key().replace(/^instance\//, ''),
        description: desired.description || undefined,
        tags: { ...desired.tags, [OwnershipTag.OWNER]: this.owner.tagValue },
        clientToken: deriveClientToken(this.event, 'ImportPhoneNumber', source, desired.target.key()),
      });
      // Only Connect knows the E.164 number of the source; a new import may not be visible yet (then the
      // PhoneNumber attribute stays empty until the next update of the resource reads it).
      const summary = await this.connect.describe(ref.arn).catch(() => undefined);
      return { ...ref, phoneNumber: summary?.PhoneNumber ?? '' };
    } catch (error) {
      const refused = isImportRefused(error);
      if (!refused && !isRetryable(error)) {
        throw error;
      }
      const found = await this.connect.findImported(source);
      const summary = found && (await this.connect.describe(found.arn));
      if (summary) {
        return this.takeExisting(desired, summary);
      }
      if (refused) {
        throw new NumberNotAvailableError(
          `Connect refused to import ${source} into ${desired.target} (${errorName(error)}: ${errorMessage(error)}), and no number ` +
            'imported from it is in this account. Check that the number exists in AWS End User Messaging SMS in this account ' +
            'and Region and is not imported elsewhere.',
        );
      }
      throw error;
    }
  }

  /**
   * Searches and claims one candidate, unless this resource already holds a matching number. Every
   * candidate is claimed with the same ClientToken (derived from the request and the criteria): when an
   * earlier delivery of this request already claimed a number, Connect answers the claim of any other
   * candidate with IdempotencyException (or replays the first answer) instead of claiming a second one. A
   * candidate taken by somebody else between search and claim is skipped for the next one; if Connect
   * counts the token as spent by that rejected claim, the search goes on with a token of the candidate.
   */
  private async searchAndClaim(desired: DesiredNumber, search: NumberSearch): Promise<ClaimedNumber> {
    const held = await this.takeHeldOrMoved(desired);
    if (held) {
      return held;
    }
    const interrupted = await this.awaitInterruptedClaim(desired);
    if (interrupted) {
      return this.takeExisting(desired, interrupted);
    }
    const tokenFor = (...distinct: string[]) =>
      deriveClientToken(this.event, 'SearchAndClaimPhoneNumber', desired.target.key(), search.countryCode, search.type, search.prefix ?? '', ...distinct);
    // One token for every candidate, until Connect shows that a rejected claim spent it: then one per candidate.
    let perCandidate = false;
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
      const results = await this.connect.searchAvailable(desired.target, search, nextToken);
      const candidates = this.spread(results.numbers);
      for (let i = 0; i < candidates.length; i++) {
        const candidate = candidates[i];
        try {
          const ref = await this.connect.claim(this.claimRequest(desired, candidate, perCandidate ? tokenFor(candidate) : tokenFor()));
          this.log.info('Claimed a number found by search', { phoneNumber: candidate, phoneNumberArn: ref.arn });
          // Under a replayed token the answer may be the number an earlier delivery claimed, not `candidate`:
          // isComplete reports the PhoneNumber attribute as Connect reads it once the claim completes.
          return { ...ref, phoneNumber: candidate };
        } catch (error) {
          if (isNotAvailable(error, desired.target)) {
            this.log.info('A candidate was taken between search and claim; trying the next', { phoneNumber: candidate });
            continue;
          }
          if (errorName(error) !== 'IdempotencyException' || perCandidate) {
            throw explainRefusal(error);
          }
          const own = await this.awaitHeld(desired);
          if (own) {
            return this.takeExisting(desired, own);
          }
          // No number of this resource shows up: Connect counted the token as used by a claim it rejected
          // (whether it does is not documented). Go on with a token of this candidate, the same for every
          // delivery of this request that gets this far.
          this.log.info('The search token was spent on a rejected claim; continuing with a token of this candidate', { phoneNumber: candidate });
          perCandidate = true;
          i--;
        }
      }
      nextToken = results.nextToken;
      if (!nextToken) break;
    }
    // An earlier delivery may have taken the last candidate for itself.
    const own = await this.findHeld(desired, this.event.PhysicalResourceId);
    if (own) {
      return this.takeExisting(desired, own);
    }
    throw new NumberNotAvailableError(
      `No ${search.type} number in ${search.countryCode}${search.prefix ? ` starting with ${search.prefix}` : ''} is available ` +
        `to claim to ${desired.target}. Widen the search (a shorter prefix, another type), or ask AWS Support for numbers.`,
    );
  }

  /**
   * The number an earlier delivery of this request claimed under the same token: a new claim can take a while
   * to show up in ListPhoneNumbersV2, so the lookup is repeated for the visibility window before giving up.
   */
  private async awaitHeld(desired: DesiredNumber, waitUntil = this.visibility.clock.now() + this.visibility.graceMs): Promise<ClaimedPhoneNumberSummary | undefined> {
    const until = Math.min(waitUntil, this.connect.deadline);
    for (;;) {
      const own = await this.findHeld(desired, this.event.PhysicalResourceId);
      if (own || this.visibility.clock.now() + VISIBILITY_POLL_MS >= until) {
        return own;
      }
      await this.visibility.clock.sleep(VISIBILITY_POLL_MS);
    }
  }

  /**
   * A new resource whose previous Create failed moments ago (in this stack: the resource was added by an
   * update, which rolled back) may have left a claim that Connect does not show yet: the attempt died after
   * Connect accepted it, and a new search would claim a second number. Such a claim shows up within the
   * visibility window after that failure; wait for it to, rather than claim again. A stack deleted and created
   * again has no such event, but re-creating its provider takes longer than the window.
   */
  private async awaitInterruptedClaim(desired: DesiredNumber): Promise<ClaimedPhoneNumberSummary | undefined> {
    if (this.event.PhysicalResourceId) {
      return undefined;
    }
    let failedAt: number | undefined;
    try {
      failedAt = await this.stack.lastFailedCreateAt();
    } catch (error) {
      this.log.warn('Could not read the stack events; searching without waiting for an earlier attempt', { error: errorMessage(error) });
      return undefined;
    }
    if (failedAt === undefined || this.visibility.clock.now() >= failedAt + this.visibility.graceMs) {
      return undefined;
    }
    this.log.info('The previous Create of this resource failed moments ago; waiting for a number it may have claimed', { failedAt: new Date(failedAt).toISOString() });
    return this.awaitHeld(desired, failedAt + this.visibility.graceMs);
  }

  /**
   * Before a search claims anything: a matching number this resource holds (kept by a rollback, or claimed
   * by an interrupted attempt), else one whose owner the template no longer declares (the construct moved
   * in the tree, or a removed construct's number that a rollback kept).
   */
  private async takeHeldOrMoved(desired: DesiredNumber): Promise<ClaimedNumber | undefined> {
    const movable: ClaimedPhoneNumberSummary[] = [];
    for (const summary of await this.claimedMatching(desired, this.event.PhysicalResourceId)) {
      const custody = await this.custody.of(summary);
      if (custody.kind === 'MINE' || custody.kind === 'TAKEN_OVER') {
        return this.takeExisting(desired, summary);
      }
      if (custody.kind === 'SIBLING' && (await this.stack.declares(custody.ownerLogicalId)) === 'not-declared' && (await this.canTakeOver(desired, summary, custody.ownerLogicalId))) {
        movable.push(summary);
      }
    }
    return movable.length > 0 ? this.takeExisting(desired, movable[0]) : undefined;
  }

  /** Claimed numbers matching `desired` (the number itself, or the search on the declared target). */
  private async claimedMatching(desired: DesiredNumber, except?: string): Promise<ClaimedPhoneNumberSummary[]> {
    const refs = desired.search
      ? await this.connect.listClaimedMatching(desired.target, desired.search)
      : [await (desired.sourcePhoneNumberArn ? this.connect.findImported(desired.sourcePhoneNumberArn) : this.connect.findClaimed(desired.phoneNumber!))].filter(
        (ref): ref is ClaimedNumberRef => ref !== undefined,
      );
    const summaries: ClaimedPhoneNumberSummary[] = [];
    for (const ref of refs.filter((r) => r.arn !== except)) {
      const summary = await this.connect.describe(ref.arn);
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  /** Takes a number already claimed in the account, if it is this resource's to take. */
  private async takeExisting(desired: DesiredNumber, summary: ClaimedPhoneNumberSummary): Promise<ClaimedNumber> {
    const arn = summary.PhoneNumberArn!;
    const number = summary.PhoneNumber ?? desired.phoneNumber ?? desired.sourcePhoneNumberArn ?? '';
    const where = summary.InstanceId ? `instance ${summary.InstanceId}` : `target ${summary.TargetArn}`;
    const custody = await this.custody.of(summary);
    switch (custody.kind) {
      case 'MINE':
        this.log.info('Taking back a number this resource holds (kept by a rollback, or claimed by an interrupted attempt)', { phoneNumberArn: arn });
        await this.custody.takeIntoUse(summary);
        break;
      case 'TAKEN_OVER':
        this.log.info('Taking back a number this resource took over from the construct it moved from', { phoneNumberArn: arn });
        break;
      case 'HANDED_OVER':
      case 'SIBLING':
        await this.takeFromSibling(desired, summary, custody.kind === 'SIBLING' ? custody.ownerLogicalId : custody.toLogicalId);
        break;
      case 'OTHER_STACK':
        throw new NumberDeclaredTwiceError(
          `${number} (${arn}) is held by ClaimedPhoneNumber ${custody.logicalId} of stack ${custody.stackName}: the same number ` +
            `is declared twice, there and in stack ${this.owner.stackName}. Remove one of the two declarations; to move ` +
            `the number between stacks, remove it from ${custody.stackName} with removalPolicy RETAIN first, delete its ` +
            `"${OwnershipTag.OWNER}" tag, then declare it here with adoptExisting: true.`,
        );
      case 'FOREIGN':
        if (!desired.adoptExisting) {
          throw new NumberNotOwnedError(
            `${number} is already claimed in this account (${arn}, ${where}) but not by this resource: ` +
              `its "${OwnershipTag.OWNER}" tag is ${custody.ownerTag ? `"${custody.ownerTag}"` : 'missing'}. ` +
              'ClaimedPhoneNumber never takes over, changes or releases a number it did not claim. To manage this ' +
              'number from now on, set adoptExisting: true; to refer to it without managing it, use ' +
              `ClaimedPhoneNumber.fromPhoneNumberArn(this, 'Id', '${arn}').`,
          );
        }
        if (!desired.target.isWhere(summary)) {
          throw new NumberNotOwnedError(
            `adoptExisting takes over ${number} only where it is already claimed: it is claimed to ${where}, and ` +
              `this resource declares ${desired.target}. Declare that target to adopt it (you can move it afterwards).`,
          );
        }
        this.log.info('Adopting a number claimed outside this stack', { phoneNumberArn: arn, previousOwnerTag: custody.ownerTag });
        await this.connect.tag(arn, { [OwnershipTag.OWNER]: this.owner.tagValue });
        break;
    }
    await applyTagChanges(this.connect, arn, NumberClaimer.userTagsOf(summary.Tags), desired.tags);
    return { arn, id: summary.PhoneNumberId ?? arn.slice(arn.lastIndexOf('/') + 1), phoneNumber: number };
  }

  /**
   * A number another resource of this stack holds. If the template in force still declares that resource,
   * the number is declared twice (tokens hid it from the synth-time check). If it does not, the construct
   * moved in the tree (CloudFormation creates the new logical id before it deletes the old one): take the
   * number over, recording where it came from so that a rollback can hand it back.
   */
  private async takeFromSibling(desired: DesiredNumber, summary: ClaimedPhoneNumberSummary, siblingLogicalId: string): Promise<void> {
    const arn = summary.PhoneNumberArn!;
    const number = summary.PhoneNumber ?? describeNumber(desired);
    switch (await this.stack.declares(siblingLogicalId)) {
      case 'declared':
        throw new NumberDeclaredTwiceError(
          `${number} (${arn}) is held by ${siblingLogicalId}, which stack ${this.owner.stackName} still declares: the same ` +
            `number is declared twice, by ${siblingLogicalId} and by ${this.owner.logicalId}. Remove one of them.`,
        );
      case 'unknown':
        throw new NumberNotOwnedError(
          `${number} (${arn}) is held by ${siblingLogicalId} of this stack, and CloudFormation did not show the template ` +
            `being deployed, so it cannot be told whether ${siblingLogicalId} moved or stays. Nothing was changed; retry the deployment.`,
        );
      case 'not-declared':
        break;
    }
    if ((await this.stack.physicalIdOf(siblingLogicalId)) === arn) {
      if (!(await this.canTakeOver(desired, summary, siblingLogicalId))) {
        throw new NumberNotOwnedError(
          `${number} (${arn}) belongs to ${siblingLogicalId}, which this deploy removes, and ${this.owner.logicalId} declares it ` +
            `with other settings (target, description or tags). A moved construct takes its number over only as it is, so ` +
            `that a rollback can hand it back unchanged: deploy the move first, then the change.`,
        );
      }
      this.log.info('Taking over the number from the resource it moved from', { phoneNumberArn: arn, previousLogicalId: siblingLogicalId });
      await this.connect.tag(arn, { [OwnershipTag.OWNER]: this.owner.tagValue, [OwnershipTag.HANDOVER_FROM]: siblingLogicalId });
    } else {
      // The stack no longer holds the sibling (a rollback kept its number, or it was retained): nothing to hand back to.
      this.log.info('Taking the number of a resource the stack no longer holds', { phoneNumberArn: arn, previousLogicalId: siblingLogicalId });
      await this.custody.takeIntoUse(summary);
    }
  }

  /**
   * Whether this resource may take over a sibling's number: always when the stack no longer holds the sibling;
   * otherwise only as the number is (same target, description and tags), since a rollback of the move hands it
   * back without knowing the sibling's settings.
   */
  private async canTakeOver(desired: DesiredNumber, summary: ClaimedPhoneNumberSummary, siblingLogicalId: string): Promise<boolean> {
    if ((await this.stack.physicalIdOf(siblingLogicalId)) !== summary.PhoneNumberArn) {
      return true;
    }
    const tags = NumberClaimer.userTagsOf(summary.Tags);
    const sameTags = Object.keys(tags).length === Object.keys(desired.tags).length && Object.entries(desired.tags).every(([key, value]) => tags[key] === value);
    return desired.target.isWhere(summary) && (summary.PhoneNumberDescription ?? '') === desired.description && sameTags;
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

/**
 * A claim refused for the account's quotas gets the cause and the fix: Connect blocks all claims once claims
 * and releases in a rolling 180 days exceed 200% of the phone number quota (ImportPhoneNumber / ClaimPhoneNumber
 * API reference), and the error it answers then is not documented.
 */
function explainRefusal(error: unknown): unknown {
  const quota = ['ServiceQuotaExceededException', 'LimitExceededException'].includes(errorName(error) ?? '') || /200%|quota/i.test(errorMessage(error));
  if (!quota) {
    return error;
  }
  return new ClaimRefusedError(
    `Connect refuses the claim: ${errorName(error)}: ${errorMessage(error)}. Connect blocks every claim once the claims and ` +
      'releases of the account in a rolling 180 days exceed 200% of its phone number quota, until 180 days after the ' +
      'oldest of those releases or until AWS Support lifts the block (open a Support case: Service limit increase, ' +
      'Amazon Connect). Releasing numbers does not help: each release counts too. Otherwise raise the phone number ' +
      'quota in Service Quotas (Amazon Connect).',
  );
}

/**
 * Connect's answer to a claim of a number that is not available: InvalidParameterException "Phone number not
 * available" for an instance (Terraform issue 45572), ResourceNotFoundException for a traffic distribution
 * group (admin guide, "Why a ClaimPhoneNumber call fails"; the same error as a group that is missing or not
 * ACTIVE, which the lookup that follows tells apart).
 */
function isNotAvailable(error: unknown, target: Target): boolean {
  if (target.isTrafficDistributionGroup() && errorName(error) === 'ResourceNotFoundException') {
    return true;
  }
  return errorName(error) === 'InvalidParameterException' && /not available/i.test(errorMessage(error));
}

/**
 * Connect's refusal of an import whose source is already imported or claimed, or is unknown: InvalidParameterException,
 * ResourceNotFoundException or a conflict. The API reference names no specific error for these cases.
 */
function isImportRefused(error: unknown): boolean {
  return ['InvalidParameterException', 'ResourceNotFoundException', 'ResourceConflictException', 'ResourceInUseException'].includes(errorName(error) ?? '');
}
