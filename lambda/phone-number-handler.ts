/**
 * The lifecycle of one claimed number, as the aws-cdk-lib Provider framework drives it:
 * onEvent starts the work (claim, move, describe, release), isComplete waits for Connect's asynchronous
 * operations to finish. Waiting in isComplete (not in onEvent) matters for safety: once onEvent has
 * answered with the number's ARN, any later failure still reports that ARN, so CloudFormation's rollback
 * Delete reaches this handler, which keeps the number and marks it. A failure inside onEvent's Create would
 * instead be answered with the framework's CREATE_FAILED marker, whose Delete never reaches us; the number's
 * owner tag still lets the next deploy take it back.
 *
 * Every request may be a retry, a rollback or a repeat, so every decision is made from what Connect holds
 * (the number, its status and owner tags) and what the stack holds (its status, template and physical ids),
 * not from the event's old and new properties alone.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ClaimedPhoneNumberSummary, ConnectClient } from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Attribute, KeptReason, OwnershipTag, PHONE_NUMBER_ARN_PATTERN } from '../lib/shared/contract';
import { applyTagChanges, NumberClaimer } from './claimer';
import { deriveClientToken } from './client-token';
import { ConnectGateway, errorMessage, errorName, isNotFound } from './connect-gateway';
import { CustodyKeeper, keptNumberIds } from './custody';
import { OperationFailedError, OperationTimeoutError, ReleaseBlockedError } from './errors';
import { Logger } from './logger';
import { Owner } from './ownership';
import { DeletePlan, Progress, PROGRESS_KEY, WaitFor } from './progress';
import { decideRelease, ReleaseDecision } from './release-rule';
import { describeNumber, DesiredNumber, numberChoiceKey, readDesiredNumber, readPreviousNumber, satisfies } from './resource-properties';
import { Clock, isRetryable, LOOK_BACKOFF, systemClock } from './retry';
import { CloudFormationStackReader, isRollbackStatus, StackReader, StackScope } from './stack-reader';

/**
 * A CloudFormation event as the Provider framework hands it over: for isComplete it also carries the
 * PhysicalResourceId that onEvent answered (even for Create) and onEvent's progress.
 */
export type ClaimedPhoneNumberEvent = CloudFormationCustomResourceEvent & {
  readonly PhysicalResourceId?: string;
  readonly [PROGRESS_KEY]?: Progress;
};

export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { [key: string]: string };
  readonly [PROGRESS_KEY]: Progress;
}

export interface IsCompleteResult {
  readonly IsComplete: boolean;
  /** Attributes read back from Connect once complete; the framework merges them over onEvent's Data. */
  readonly Data?: { [key: string]: string };
}

/** The part of the Lambda context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export interface HandlerSettings {
  /** How long an operation may stay IN_PROGRESS before it fails. */
  readonly operationTimeoutMs: number;
  /** How long one isComplete invocation keeps polling before it hands back to the framework's waiter. */
  readonly pollBudgetMs: number;
  /** Time kept free before the Lambda deadline, to answer cleanly instead of being killed. */
  readonly safetyMarginMs: number;
  /**
   * How long after a claim or move Connect may still answer "not found" for the number. A new claim may be
   * invisible to DescribePhoneNumber and ListPhoneNumbersV2 for a while (CloudFormation's own handler waits
   * before its first describe; boto3 issue 4622): within this window "not found" means "not yet".
   */
  readonly visibilityGraceMs: number;
  /** HandlerEnv.OWNER_SCOPE: set for a nested stack's provider (see ownership.ts). */
  readonly ownerScope?: string;
}

export const DEFAULT_SETTINGS: HandlerSettings = {
  operationTimeoutMs: 25 * 60_000,
  pollBudgetMs: 60_000,
  safetyMarginMs: 10_000,
  visibilityGraceMs: 2 * 60_000,
};

/** Builds the reader of the request's own stack (injectable, so that unit tests can play any stack status). */
export type StackReaderFactory = (scope: StackScope, clock: Clock, logger: Logger, deadline: number) => StackReader;

let cloudFormation: CloudFormationClient | undefined;

/** The default: CloudFormation's read-only API, one client per container. Retries are the reader's own. */
export const cloudFormationStackReaders: StackReaderFactory = (scope, clock, logger, deadline) => {
  cloudFormation ??= new CloudFormationClient({ maxAttempts: 1 });
  return new CloudFormationStackReader(cloudFormation, scope, clock, logger, deadline);
};

/** Everything one invocation works with: Connect, the stack, and who holds which number. */
interface Invocation {
  readonly connect: ConnectGateway;
  readonly stack: StackReader;
  readonly custody: CustodyKeeper;
  readonly log: Logger;
}

/** The statuses in which CloudFormation sends Update requests: an update, and the rollback of a failed one. */
const UPDATE_STATUSES: ReadonlySet<string> = new Set(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS']);

export function isPhoneNumberArn(value: string | undefined): value is string {
  return value !== undefined && PHONE_NUMBER_ARN_PATTERN.test(value);
}

export class ClaimedPhoneNumberHandler {
  constructor(
    private readonly client: ConnectClient,
    private readonly logger: Logger = new Logger(),
    private readonly settings: HandlerSettings = DEFAULT_SETTINGS,
    private readonly clock: Clock = systemClock,
    private readonly stackReaders: StackReaderFactory = cloudFormationStackReaders,
  ) {}

  async onEvent(event: ClaimedPhoneNumberEvent, context: InvocationContext): Promise<OnEventResult> {
    const log = this.loggerFor(event);
    log.info('onEvent', { event });
    const invocation = this.invocationFor(event, context, log);
    switch (event.RequestType) {
      case 'Create':
        return this.onCreate(event, invocation);
      case 'Update':
        return this.onUpdate(event, invocation);
      case 'Delete':
        return this.onDelete(event, invocation);
    }
  }

  async isComplete(event: ClaimedPhoneNumberEvent, context: InvocationContext): Promise<IsCompleteResult> {
    const progress = event[PROGRESS_KEY];
    if (progress === undefined || progress.waitFor === 'NOTHING') {
      return { IsComplete: true };
    }
    const log = this.loggerFor(event);
    const pollUntil = Math.min(this.clock.now() + this.settings.pollBudgetMs, this.invocationDeadline(context));
    // Retries within one look stop at pollUntil as well, so a look that Connect keeps throttling ends this
    // invocation with "not yet" in time, instead of running into the invocation deadline. Looks retry at a
    // steadier pace than claims (LOOK_BACKOFF in retry.ts says why).
    const connect = new ConnectGateway(this.client, this.clock, log, pollUntil, LOOK_BACKOFF);
    // A progress without a start (handed over by an older handler version) is timed from now.
    const startedAt = Number.isFinite(progress.startedAt) ? progress.startedAt : this.clock.now();
    // One stack reader for the whole invocation (a Delete's plan normally travels in the progress, so it is
    // read only for progress handed over by 0.2.0, and then once).
    const inv = this.around(event, connect, log);
    let plan = progress.delete;
    let lastLookBusy = false;
    for (;;) {
      // Connect's operations never finish at once, so every poll, the first included, waits first.
      const delayMs = pollDelayMs(this.clock.now() - startedAt);
      if (this.clock.now() + delayMs >= pollUntil) {
        return { IsComplete: false };
      }
      await this.clock.sleep(delayMs);
      let done: IsCompleteResult | undefined;
      try {
        if (progress.waitFor === 'RELEASED') {
          let known: ClaimedPhoneNumberSummary | undefined;
          if (!plan) {
            const planned = await this.planDelete(event, inv);
            plan = planned.plan ?? { release: [] };
            known = planned.summary;
          }
          const finished = 'release' in plan ? await this.releaseStep(event, plan.release, inv, known) : await this.keepStep(event, plan.keep, inv);
          done = finished ? { IsComplete: true } : undefined;
        } else {
          done = await this.convergeStep(event, connect, log);
        }
        lastLookBusy = false;
      } catch (error) {
        if (!isRetryable(error)) {
          throw error;
        }
        // Throttled, a 5xx answer or a dropped connection: Connect could not be asked, which says nothing
        // about the operation. The waiter would simply call again, so this is "not yet", never a failure.
        // Every step is safe to repeat (it reads first, and its calls carry ClientTokens or are idempotent).
        log.info('Connect was busy; looking again later', { error: errorName(error) ?? errorMessage(error) });
        lastLookBusy = true;
      }
      if (done) {
        log.info('Operation complete', { waitFor: progress.waitFor });
        return done;
      }
      if (this.clock.now() >= progress.deadline) {
        throw this.timeoutError(event, progress.waitFor, lastLookBusy);
      }
    }
  }

  private async onCreate(event: ClaimedPhoneNumberEvent, inv: Invocation): Promise<OnEventResult> {
    const desired = readDesiredNumber(event.ResourceProperties);
    const number = await this.claimerFor(event, inv).claim(desired);
    return this.answer(number.arn, number.phoneNumber, 'CONVERGED');
  }

  /**
   * Decided from what Connect holds, not from which properties changed: when the number this resource holds
   * already satisfies the declared properties (the same number, or one matching the declared search), the
   * update is in place, whatever the old properties said. That is what makes rollbacks safe: CloudFormation
   * undoes a failed update by sending the previous properties as another Update of the same physical id, the
   * failed resource included, and that Update must restore, never claim.
   */
  private async onUpdate(event: ClaimedPhoneNumberEvent, inv: Invocation): Promise<OnEventResult> {
    if (event.RequestType !== 'Update') {
      throw new Error('unreachable');
    }
    const desired = readDesiredNumber(event.ResourceProperties);
    const previous = readPreviousNumber(event.OldResourceProperties);
    const arn = event.PhysicalResourceId;
    const status = await this.stackStatusOf(inv);
    if (status !== undefined && !UPDATE_STATUSES.has(status)) {
      inv.log.warn('Ignoring an Update delivered after the stack moved on: it would undo what the stack declares now', { stackStatus: status });
      return this.answer(arn, desired.phoneNumber ?? '', 'NOTHING');
    }
    // Unreadable, the stack may be rolling back: never claim then unless nothing this resource holds fits.
    const rollingBack = status === undefined ? undefined : isRollbackStatus(status);
    const current = isPhoneNumberArn(arn) ? await inv.connect.describe(arn) : undefined;
    const custody = current && (await inv.custody.of(current));
    const held = current !== undefined && (custody?.kind === 'MINE' || custody?.kind === 'TAKEN_OVER');
    if (held && satisfies(current, desired)) {
      const answer = await this.updateInPlace(inv, event, current, desired, previous, custody.kind === 'MINE');
      if (numberChoiceKey(previous) !== numberChoiceKey(desired) && rollingBack !== false) {
        await this.keepAbandonedNumber(event, inv, previous, current, status ?? KeptReason.STACK_UNREADABLE);
      }
      return answer;
    }
    if (rollingBack === true || (rollingBack === undefined && (await this.claimerFor(event, inv).findHeld(desired)))) {
      return this.restore(event, inv, desired, previous, held ? current : undefined, status ?? KeptReason.STACK_UNREADABLE);
    }
    if (rollingBack === undefined) {
      throw new Error(
        `CloudFormation could not be read, so this Update cannot tell a rollback (which must never claim) from a change: ` +
          `retry the deployment once the provider role may call cloudformation:DescribeStacks on the stack.`,
      );
    }
    // A different number is a different resource: claim it (or take back one this resource holds) and answer
    // with its ARN. CloudFormation deletes the old one in its cleanup phase, or the new one if the update
    // rolls back (which keeps it: see release-rule.ts).
    inv.log.info('Replacing the number', { from: describeNumber(previous), to: describeNumber(desired) });
    const number = await this.claimerFor(event, inv).claim(desired);
    return this.answer(number.arn, number.phoneNumber, 'CONVERGED');
  }

  /**
   * The stack's status, or undefined when it cannot be read. CloudFormation sends an Update only while it
   * updates the stack or rolls an update back (UPDATE_STATUSES): one that arrives in any other status was
   * delivered late or again (Lambda may hold an asynchronous event for hours) after the stack moved on, and
   * applying its properties would undo what the stack declares now, so it changes nothing.
   */
  private async stackStatusOf(inv: Invocation): Promise<string | undefined> {
    try {
      return await inv.stack.status();
    } catch (error) {
      inv.log.warn('Could not read the stack status', { error: errorMessage(error) });
      return undefined;
    }
  }

  /**
   * Brings a number this resource holds to the declared state, comparing with what Connect reports: tags,
   * target (a move), description; the contact flow by the declared change, since Connect does not report it.
   */
  private async updateInPlace(
    inv: Invocation,
    event: ClaimedPhoneNumberEvent,
    current: ClaimedPhoneNumberSummary,
    desired: DesiredNumber,
    previous: DesiredNumber,
    mine: boolean,
  ): Promise<OnEventResult> {
    const arn = current.PhoneNumberArn!;
    if (mine) {
      // Clears a kept-by-rollback marker, or the traces of a handover that never completed.
      await inv.custody.takeIntoUse(current);
    }
    await applyTagChanges(inv.connect, arn, NumberClaimer.userTagsOf(current.Tags), desired.tags);
    const targetChanged = !desired.target.isWhere(current);
    let waitFor: WaitFor = 'NOTHING';
    if (targetChanged) {
      // The association with a contact flow does not move with the number: isComplete makes it again.
      waitFor = await this.startIfIdle(() => inv.connect.moveTo(arn, desired.target, this.moveToken(event, arn, desired)));
    } else if ((current.PhoneNumberDescription ?? '') !== desired.description) {
      waitFor = await this.startIfIdle(() => this.setDescription(inv.connect, event, arn, desired, inv.log));
    } else if (current.PhoneNumberStatus?.Status === 'IN_PROGRESS') {
      // An earlier operation (the one a rollback undoes, say) is still running: wait for it, then converge.
      waitFor = 'CONVERGED';
    }
    if (!targetChanged && desired.contactFlow?.arn !== previous.contactFlow?.arn) {
      if (desired.contactFlow) {
        await inv.connect.associateFlow(arn, desired.contactFlow);
      } else {
        await inv.connect.disassociateFlow(arn, previous.contactFlow!);
      }
    }
    // A description change that rides along with a move is applied by isComplete once the move is done.
    return this.answer(arn, current.PhoneNumber ?? desired.phoneNumber ?? '', waitFor);
  }

  /**
   * The rollback Update of a replacement (or of a failed one): the physical id does not hold the declared
   * number. Restore the number this resource holds for the declared properties, without ever claiming: a
   * rollback runs under the new template's policy, and must not spend claims. Whatever number the failed
   * update had taken is kept, owned and marked, for the next deploy to take back.
   */
  private async restore(
    event: ClaimedPhoneNumberEvent,
    inv: Invocation,
    desired: DesiredNumber,
    previous: DesiredNumber,
    current: ClaimedPhoneNumberSummary | undefined,
    keptReason: string,
  ): Promise<OnEventResult> {
    const restored = await this.claimerFor(event, inv).findHeld(desired);
    if (!restored) {
      // Nothing to restore to (released by hand?). Failing here would leave the stack in UPDATE_ROLLBACK_FAILED;
      // keeping the number the resource has is safe, and the next deploy reconciles it with the template.
      inv.log.warn('The rollback found no number of this resource matching the previous properties; keeping the current one', {
        declared: describeNumber(desired),
      });
      return this.answer(event.PhysicalResourceId!, current?.PhoneNumber ?? '', 'NOTHING');
    }
    inv.log.info('Rolling back to the number this resource held', { phoneNumberArn: restored.PhoneNumberArn });
    const answer = await this.updateInPlace(inv, event, restored, desired, previous, (await inv.custody.of(restored)).kind === 'MINE');
    if (current && current.PhoneNumberArn !== restored.PhoneNumberArn) {
      await inv.custody.keep(current, keptReason, restored);
    }
    return answer;
  }

  /**
   * After the rollback Update of a failed replacement that CloudFormation answered with the old physical id:
   * the number the failed update claimed is no resource's physical id. Mark it kept, so that it is recorded
   * and the next deploy that declares it takes it back without claiming.
   */
  private async keepAbandonedNumber(
    event: ClaimedPhoneNumberEvent,
    inv: Invocation,
    abandoned: DesiredNumber,
    restored: ClaimedPhoneNumberSummary,
    keptReason: string,
  ): Promise<void> {
    const orphan = await this.claimerFor(event, inv).findHeld(abandoned, restored.PhoneNumberArn!);
    if (orphan && (await inv.custody.of(orphan)).kind === 'MINE') {
      await inv.custody.keep(orphan, keptReason, restored);
    }
  }

  /**
   * Decides once, from what Connect and the stack hold, and starts what the decision needs; isComplete then
   * waits on Connect alone (the plan travels in the progress).
   */
  private async onDelete(event: ClaimedPhoneNumberEvent, inv: Invocation): Promise<OnEventResult> {
    const { plan, summary } = await this.planDelete(event, inv);
    const done = plan === undefined || ('release' in plan ? await this.releaseStep(event, plan.release, inv, summary) : false);
    return {
      PhysicalResourceId: event.PhysicalResourceId!,
      [PROGRESS_KEY]: done ? this.progress('NOTHING') : { ...this.progress('RELEASED'), delete: plan },
    };
  }

  /**
   * What a Delete does, decided by the release rule (release-rule.ts) for a number this resource holds; any
   * other number is left exactly as it is. No plan when nothing is left to do; `summary` is what Connect showed.
   */
  private async planDelete(event: ClaimedPhoneNumberEvent, inv: Invocation): Promise<{ plan?: DeletePlan; summary?: ClaimedPhoneNumberSummary }> {
    const arn = event.PhysicalResourceId;
    const log = inv.log;
    if (!isPhoneNumberArn(arn)) {
      // The framework's CREATE_FAILED marker, or an id CloudFormation invented after a failed create:
      // this resource never claimed anything.
      log.info('Nothing to release: the physical id is not a phone number ARN');
      return {};
    }
    const summary = await inv.connect.describe(arn);
    if (!summary) {
      // A number the stack does not let go may be one claimed moments ago that Connect does not show yet:
      // isComplete waits for it (within the visibility grace) to keep it.
      const decision = await this.releaseDecision(event, inv, arn);
      if (decision.action === 'KEEP') {
        return { plan: { keep: decision.reason } };
      }
      log.info('Nothing to release: Connect no longer knows the number');
      return {};
    }
    if (!(await this.settleCustody(summary, inv))) {
      return { summary };
    }
    const decision = await this.releaseDecision(event, inv, arn);
    switch (decision.action) {
      case 'IN_USE':
        log.warn('Not releasing: the stack still holds this number for this resource (a Delete delivered late, repeated or not sent by CloudFormation)', {
          phoneNumberArn: arn,
          row: decision.row,
        });
        return { summary };
      case 'KEEP':
        await inv.custody.keep(summary, decision.reason, await this.holderFor(event, inv, arn));
        return { summary };
      case 'RELEASE': {
        const keptIds = keptNumberIds(summary.Tags);
        const kept = keptIds.map((id) => `${arn.slice(0, arn.lastIndexOf('/') + 1)}${id}`);
        if (!decision.resourceGone && kept.length > 0) {
          // A replaced number: the resource stays, and so may its kept numbers (the next deploy may take them back).
          const holder = await this.holderFor(event, inv, arn);
          if (holder) {
            await inv.custody.noteKeptOn(holder, keptIds);
          }
        }
        log.info('Releasing: the stack lets the number go', { phoneNumberArn: arn, row: decision.row, alsoKept: decision.resourceGone ? kept : [] });
        return { plan: { release: [...(decision.resourceGone ? kept : []), arn] }, summary };
      }
    }
  }

  /**
   * Settles who holds the number before any decision: a number this resource does not hold is never
   * released. True when it is this resource's to decide about.
   */
  private async settleCustody(summary: ClaimedPhoneNumberSummary, inv: Invocation): Promise<boolean> {
    const arn = summary.PhoneNumberArn!;
    const custody = await inv.custody.of(summary);
    switch (custody.kind) {
      case 'TAKEN_OVER':
        // The resource it came from still holds it in the stack (a move rolling back, or that resource stays):
        // give the number back instead of releasing it.
        inv.log.info('Handing the number back to the resource it came from', { previousLogicalId: custody.fromLogicalId });
        await inv.connect.tag(arn, { [OwnershipTag.OWNER]: inv.custody.owner.siblingTagValue(custody.fromLogicalId) });
        await inv.connect.untag(arn, [OwnershipTag.HANDOVER_FROM]);
        return false;
      case 'HANDED_OVER':
        // The cleanup after a move: the new resource keeps the number for good.
        await inv.connect.untag(arn, [OwnershipTag.HANDOVER_FROM]);
        inv.log.info('Not releasing: the number now belongs to the resource this construct moved to', { owner: custody.toLogicalId });
        return false;
      case 'SIBLING':
        inv.log.info('Not releasing: the number belongs to another resource of this stack', { owner: custody.ownerLogicalId });
        return false;
      case 'OTHER_STACK':
      case 'FOREIGN':
        inv.log.warn('Not releasing: this resource does not own the number', { custody });
        return false;
      case 'MINE':
        return true;
    }
  }

  /** The release rule (release-rule.ts) over this invocation's stack reader: each answer read at most once. */
  private async releaseDecision(event: ClaimedPhoneNumberEvent, inv: Invocation, arn: string): Promise<ReleaseDecision> {
    const decision = await decideRelease(arn, {
      lineage: () => inv.stack.lineage(),
      declaresThisResource: async () => (await inv.stack.declares(event.LogicalResourceId)) === 'declared',
      physicalIdOfThisResource: () => inv.stack.physicalIdOf(event.LogicalResourceId),
    });
    if (decision.action === 'KEEP' && decision.row === 6) {
      inv.log.error('Could not read the stack; keeping the number rather than risking a release', { phoneNumberArn: arn });
    }
    return decision;
  }

  /** The number the stack holds for this resource now, when it is another number than `arn` and Connect knows it. */
  private async holderFor(event: ClaimedPhoneNumberEvent, inv: Invocation, arn: string): Promise<ClaimedPhoneNumberSummary | undefined> {
    try {
      const held = await inv.stack.physicalIdOf(event.LogicalResourceId);
      return isPhoneNumberArn(held) && held !== arn ? await inv.connect.describe(held) : undefined;
    } catch (error) {
      inv.log.info('Could not find the number this resource holds; the kept number is found by its owner tag', { error: errorMessage(error) });
      return undefined;
    }
  }

  /**
   * One look at the number during Create or Update: the completed result once it is CLAIMED where and as
   * declared, undefined while not yet. Starts whatever is still missing (a move, a description), so it also
   * finishes work that onEvent could not start because an earlier operation was still running.
   */
  private async convergeStep(event: ClaimedPhoneNumberEvent, connect: ConnectGateway, log: Logger): Promise<IsCompleteResult | undefined> {
    const desired = readDesiredNumber(event.ResourceProperties);
    const arn = event.PhysicalResourceId!;
    const summary = await connect.describe(arn);
    if (!summary) {
      if (this.withinVisibilityGrace(event)) {
        log.info('Connect does not show the number yet; a new claim can take a while to become visible');
        return undefined;
      }
      throw new OperationFailedError(
        `${describeNumber(desired)} (${arn}) is not known to Connect ${Math.round(this.settings.visibilityGraceMs / 1000)} s after ` +
          'the operation started: it was released while the deploy waited, or Connect dropped the claim.',
      );
    }
    const status = summary.PhoneNumberStatus?.Status;
    log.debug('Phone number status', { status, statusMessage: summary.PhoneNumberStatus?.Message });
    if (status === 'IN_PROGRESS') {
      return undefined;
    }
    if (status === 'FAILED') {
      const verb = event.RequestType === 'Create' ? 'claim' : 'update';
      throw new OperationFailedError(
        `Connect could not ${verb} ${summary.PhoneNumber ?? describeNumber(desired)} (${arn}): ${summary.PhoneNumberStatus?.Message ?? 'no reason given'}.` +
          explainFailure(summary.PhoneNumberStatus?.Message),
      );
    }
    if (!desired.target.isWhere(summary)) {
      await this.startIfIdle(() => connect.moveTo(arn, desired.target, this.moveToken(event, arn, desired)));
      return undefined;
    }
    if ((summary.PhoneNumberDescription ?? '') !== desired.description) {
      await this.startIfIdle(() => this.setDescription(connect, event, arn, desired, log));
      if (desired.description === '' && (await connect.describe(arn))?.PhoneNumberStatus?.Status !== 'IN_PROGRESS') {
        // Whether Connect clears a description given as an empty string is not documented. A call that started
        // nothing (refused, ignored, or the replay of this request's earlier call under the same token) means
        // this Connect keeps the old one: waiting for it would never end.
        log.warn('Connect did not clear the description; the number keeps its previous one');
        return completed(summary);
      }
      return undefined;
    }
    if (desired.contactFlow) {
      // Connect does not report the association, and a move drops it: (re)associating is idempotent.
      await connect.associateFlow(arn, desired.contactFlow);
    }
    return completed(summary);
  }

  /**
   * One attempt to finish a release plan: true once Connect knows none of its numbers. Each number is
   * checked again before its release (still owned by this resource; a number kept earlier still marked kept),
   * from Connect alone: the stack was read once, when onEvent decided.
   */
  private async releaseStep(event: ClaimedPhoneNumberEvent, arns: readonly string[], inv: Invocation, known?: ClaimedPhoneNumberSummary): Promise<boolean> {
    let done = true;
    for (const arn of arns) {
      const own = arn === event.PhysicalResourceId;
      const summary = known?.PhoneNumberArn === arn ? known : await inv.connect.describe(arn);
      if (!summary) {
        continue;
      }
      const stillOurs = own
        ? (await inv.custody.of(summary)).kind === 'MINE'
        : inv.custody.owner.relationTo(summary.Tags).kind === 'OWNED' && OwnershipTag.KEPT_BY_ROLLBACK in (summary.Tags ?? {});
      if (!stillOurs) {
        inv.log.info("Not releasing: the number is no longer this resource's to release", { phoneNumberArn: arn });
        continue;
      }
      if (!(await this.release(event, arn, summary, inv.connect, inv.log, own))) {
        done = false;
      }
    }
    return done;
  }

  /**
   * Keeps a number the stack did not let go once Connect shows it: a number claimed moments ago may still be
   * invisible. True once kept, or once the visibility grace has passed without it.
   */
  private async keepStep(event: ClaimedPhoneNumberEvent, reason: string, inv: Invocation): Promise<boolean> {
    const summary = await inv.connect.describe(event.PhysicalResourceId!);
    if (!summary) {
      if (this.withinVisibilityGrace(event)) {
        inv.log.info('Connect does not show the number yet; waiting before deciding that it is gone');
        return false;
      }
      inv.log.info('Nothing to keep: Connect no longer knows the number');
      return true;
    }
    if (await this.settleCustody(summary, inv)) {
      await inv.custody.keep(summary, reason, await this.holderFor(event, inv, summary.PhoneNumberArn!));
    }
    return true;
  }

  private withinVisibilityGrace(event: ClaimedPhoneNumberEvent): boolean {
    const startedAt = event[PROGRESS_KEY]?.startedAt ?? this.clock.now();
    return this.clock.now() - startedAt < this.settings.visibilityGraceMs;
  }

  private async release(
    event: ClaimedPhoneNumberEvent,
    arn: string,
    summary: ClaimedPhoneNumberSummary,
    connect: ConnectGateway,
    log: Logger,
    own: boolean,
  ): Promise<boolean> {
    if (summary.PhoneNumberStatus?.Status === 'IN_PROGRESS') {
      log.info('Waiting for an operation in progress before releasing');
      return false;
    }
    if (summary.PhoneNumberStatus?.Status === 'FAILED') {
      return this.releaseFailed(event, arn, summary, connect, log);
    }
    // The flow this resource declared; a number kept earlier may have had another one, which Connect does not report.
    const declaredFlow = own ? readPreviousNumber(event.ResourceProperties).contactFlow : undefined;
    if (declaredFlow) {
      // This resource associated the flow: remove the association before the release (Connect deactivates a
      // flow left without numbers; a refusal here is not worth failing the Delete for).
      try {
        await connect.disassociateFlow(arn, declaredFlow);
      } catch (error) {
        log.warn('Could not remove the contact flow association before releasing', { error: errorMessage(error) });
      }
    }
    try {
      await connect.release(arn, deriveClientToken(event, 'ReleasePhoneNumber', arn));
      // A release may finish asynchronously (Terraform waits through IN_PROGRESS until the number is gone): the
      // Delete is done once Connect no longer knows the number, so a release that does not go through is
      // tried again rather than leaving a claimed number that no resource holds.
      log.info('Release requested; waiting until Connect no longer knows the number', { phoneNumberArn: arn });
      return false;
    } catch (error) {
      if (isNotFound(error)) {
        return true;
      }
      if (errorName(error) !== 'ResourceInUseException') {
        throw error;
      }
      const now = await connect.describe(arn);
      if (!now || now.PhoneNumberStatus?.Status === 'IN_PROGRESS' || /in progress/i.test(errorMessage(error))) {
        return !now;
      }
      throw new ReleaseBlockedError(
        `Connect refuses to release ${summary.PhoneNumber} (${arn}): ${errorMessage(error)}. Connect documents no cause ` +
          'besides an operation in progress; a contact flow associated outside this stack is a likely one: remove it ' +
          '(Connect console: Channels > Phone numbers > the number > Contact flow / IVR: none, or aws connect ' +
          'disassociate-phone-number-contact-flow), then retry the deployment; or keep the number with ' +
          'removalPolicy: RemovalPolicy.RETAIN.',
      );
    }
  }

  /**
   * A FAILED number: a failed claim is held by Connect for a day and then returns to its inventory, but a
   * failed move leaves the number claimed, and the status alone does not tell which. Whether Connect accepts
   * the release of a FAILED number is not documented: try it, and take a refusal as final rather than failing
   * the Delete (Connect returns a failed claim by itself).
   */
  private async releaseFailed(
    event: ClaimedPhoneNumberEvent,
    arn: string,
    summary: ClaimedPhoneNumberSummary,
    connect: ConnectGateway,
    log: Logger,
  ): Promise<boolean> {
    try {
      await connect.release(arn, deriveClientToken(event, 'ReleasePhoneNumber', arn));
      log.info('Released the FAILED number', { phoneNumberArn: arn });
    } catch (error) {
      log.warn('Connect refused to release the FAILED number; a failed claim returns to its inventory within a day', {
        phoneNumberArn: arn,
        statusMessage: summary.PhoneNumberStatus?.Message,
        error: errorMessage(error),
      });
    }
    return true;
  }

  /** Starts an asynchronous operation; if another one is still running, isComplete starts it later. */
  private async startIfIdle(start: () => Promise<void>): Promise<WaitFor> {
    try {
      await start();
    } catch (error) {
      if (errorName(error) !== 'ResourceInUseException') {
        throw error;
      }
    }
    return 'CONVERGED';
  }

  /**
   * UpdatePhoneNumberMetadata. An empty description clears it where Connect allows that; a Connect that refuses
   * an empty description (undocumented either way) leaves the old one, which must not fail a deploy or a rollback.
   */
  private async setDescription(connect: ConnectGateway, event: ClaimedPhoneNumberEvent, arn: string, desired: DesiredNumber, log: Logger): Promise<void> {
    try {
      await connect.setDescription(arn, desired.description, this.describeToken(event, arn, desired));
    } catch (error) {
      if (desired.description !== '' || errorName(error) !== 'InvalidParameterException') {
        throw error;
      }
      log.warn('Connect refused to clear the description; the number keeps its previous one', { error: errorMessage(error) });
    }
  }

  private moveToken(event: ClaimedPhoneNumberEvent, arn: string, desired: DesiredNumber): string {
    return deriveClientToken(event, 'UpdatePhoneNumber', arn, desired.target.key());
  }

  private describeToken(event: ClaimedPhoneNumberEvent, arn: string, desired: DesiredNumber): string {
    return deriveClientToken(event, 'UpdatePhoneNumberMetadata', arn, desired.description);
  }

  private answer(arn: string, phoneNumber: string, waitFor: WaitFor): OnEventResult {
    return {
      PhysicalResourceId: arn,
      Data: {
        [Attribute.PHONE_NUMBER_ARN]: arn,
        [Attribute.PHONE_NUMBER_ID]: arn.slice(arn.lastIndexOf('/') + 1),
        [Attribute.PHONE_NUMBER]: phoneNumber,
      },
      [PROGRESS_KEY]: this.progress(waitFor),
    };
  }

  private progress(waitFor: WaitFor): Progress {
    const now = this.clock.now();
    return { waitFor, startedAt: now, deadline: now + this.settings.operationTimeoutMs };
  }

  private timeoutError(event: ClaimedPhoneNumberEvent, waitFor: WaitFor, lastLookBusy: boolean): OperationTimeoutError {
    const minutes = Math.round(this.settings.operationTimeoutMs / 6000) / 10;
    const arn = event.PhysicalResourceId;
    if (lastLookBusy) {
      return new OperationTimeoutError(
        `${arn} could not be confirmed ${waitFor === 'RELEASED' ? 'released' : 'ready'} within ${minutes} minutes: Connect ` +
          "throttled or failed the handler's last look at it (the account's Connect API rate limit is shared by every " +
          'deployment and tool in the account and Region). ' +
          (waitFor === 'RELEASED'
            ? 'The number may still be claimed; retry the deployment when the account is less busy.'
            : 'CloudFormation rolls back, and the rollback releases the number; retry when the account is less busy.'),
      );
    }
    if (waitFor === 'RELEASED') {
      return new OperationTimeoutError(
        `${arn} could not be released: an operation on it stayed IN_PROGRESS for ${minutes} minutes. ` +
          'The number is still claimed; release it once Connect shows it CLAIMED, or retry the deployment.',
      );
    }
    return new OperationTimeoutError(
      `${arn} stayed IN_PROGRESS for ${minutes} minutes, so the deployment gives up on it. CloudFormation rolls ` +
        `back; the rollback keeps the number (a release cannot be undone), owned by this resource and marked with the ` +
        `"${OwnershipTag.KEPT_BY_ROLLBACK}" tag, and the next deploy of this resource takes it back without claiming.`,
    );
  }

  private gatewayFor(context: InvocationContext, log: Logger): ConnectGateway {
    return new ConnectGateway(this.client, this.clock, log, this.invocationDeadline(context));
  }

  private invocationFor(event: ClaimedPhoneNumberEvent, context: InvocationContext, log: Logger): Invocation {
    return this.around(event, this.gatewayFor(context, log), log);
  }

  /** The stack and custody that go with a gateway, under the same invocation deadline. */
  private around(event: ClaimedPhoneNumberEvent, connect: ConnectGateway, log: Logger): Invocation {
    const stack = this.stackReaders(event, this.clock, log, connect.deadline);
    return { connect, stack, custody: new CustodyKeeper(Owner.of(event, this.settings.ownerScope), stack, connect, log, this.clock), log };
  }

  private claimerFor(event: ClaimedPhoneNumberEvent, inv: Invocation): NumberClaimer {
    return new NumberClaimer(event, inv.connect, inv.custody, inv.stack, inv.log, { clock: this.clock, graceMs: this.settings.visibilityGraceMs });
  }

  private invocationDeadline(context: InvocationContext): number {
    return this.clock.now() + context.getRemainingTimeInMillis() - this.settings.safetyMarginMs;
  }

  private loggerFor(event: ClaimedPhoneNumberEvent): Logger {
    return this.logger.child({
      requestType: event.RequestType,
      requestId: event.RequestId,
      stackId: event.StackId,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: event.PhysicalResourceId,
    });
  }
}

/** What a FAILED status message means for the user, and what fixes it. */
export function explainFailure(message: string | undefined): string {
  if (/200%/.test(message ?? '')) {
    return (
      ' Claims and releases of the account in a rolling 180 days exceed 200% of its phone number quota: Connect blocks ' +
      'claims until 180 days after the oldest release or until AWS Support lifts the block.'
    );
  }
  if (/allowed limit for claimed phone numbers/i.test(message ?? '')) {
    return (
      ' The instance holds as many numbers as its quota allows: raise "Phone numbers per instance" in Service Quotas ' +
      '(Amazon Connect), or release numbers you no longer need. Connect holds the failed number for a day, then returns it.'
    );
  }
  return '';
}

/**
 * How long to wait before the next look at an operation that started `elapsedMs` ago. Claims and updates
 * usually finish within seconds, so the first seconds are watched closely (every 500 ms from the first
 * second on, which keeps the wait after completion short); then the interval grows to 5 s, to spare the
 * account's shared rate limit while Connect takes its time. Timing from the operation's start, not from
 * the isComplete invocation, hides the invocation's own start-up in the first wait.
 */
export function pollDelayMs(elapsedMs: number): number {
  const next = (step: number) => step - (Math.max(elapsedMs, 0) % step);
  if (elapsedMs < 1000) return 1000 - Math.max(elapsedMs, 0);
  if (elapsedMs < 4000) return next(500);
  if (elapsedMs < 10_000) return next(1000);
  if (elapsedMs < 30_000) return next(2000);
  return next(5000);
}

/**
 * A completed Create or Update, with the number's attribute as Connect reports it: what onEvent answered may
 * be a search candidate whose claim's ClientToken replayed another candidate's answer, or an import whose
 * E.164 number Connect had not shown yet.
 */
function completed(summary: ClaimedPhoneNumberSummary): IsCompleteResult {
  return summary.PhoneNumber ? { IsComplete: true, Data: { [Attribute.PHONE_NUMBER]: summary.PhoneNumber } } : { IsComplete: true };
}
