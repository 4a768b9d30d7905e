/**
 * The lifecycle of one claimed number, as the aws-cdk-lib Provider framework drives it:
 * onEvent starts the work (claim, move, describe, release), isComplete waits for Connect's asynchronous
 * operations to finish. Waiting in isComplete (not in onEvent) matters for safety: once onEvent has
 * answered with the number's ARN, any later failure still reports that ARN, so CloudFormation's rollback
 * Delete reaches this handler and releases the number. A failure inside onEvent's Create would instead be
 * answered with the framework's CREATE_FAILED marker, whose Delete never reaches us.
 */
import { ClaimedPhoneNumberSummary, ConnectClient } from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Attribute, OwnershipTag } from '../lib/shared/contract';
import { applyTagChanges, NumberClaimer } from './claimer';
import { deriveClientToken } from './client-token';
import { ConnectGateway, errorMessage, errorName, isNotFound } from './connect-gateway';
import { OperationFailedError, OperationTimeoutError, ReleaseBlockedError } from './errors';
import { Logger } from './logger';
import { Owner } from './ownership';
import { Progress, PROGRESS_KEY, WaitFor } from './progress';
import { describeNumber, DesiredNumber, numberChoiceKey, readDesiredNumber, readPreviousNumber } from './resource-properties';
import { Clock, isRetryable, LOOK_BACKOFF, systemClock } from './retry';

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
}

export const DEFAULT_SETTINGS: HandlerSettings = {
  operationTimeoutMs: 25 * 60_000,
  pollBudgetMs: 60_000,
  safetyMarginMs: 10_000,
};

const PHONE_NUMBER_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:phone-number\/[A-Za-z0-9-]+$/;

export function isPhoneNumberArn(value: string | undefined): value is string {
  return value !== undefined && PHONE_NUMBER_ARN.test(value);
}

export class ClaimedPhoneNumberHandler {
  constructor(
    private readonly client: ConnectClient,
    private readonly logger: Logger = new Logger(),
    private readonly settings: HandlerSettings = DEFAULT_SETTINGS,
    private readonly clock: Clock = systemClock,
  ) {}

  async onEvent(event: ClaimedPhoneNumberEvent, context: InvocationContext): Promise<OnEventResult> {
    const log = this.loggerFor(event);
    log.info('onEvent', { event });
    const connect = this.gatewayFor(context, log);
    switch (event.RequestType) {
      case 'Create':
        return this.onCreate(event, connect, log);
      case 'Update':
        return this.onUpdate(event, connect, log);
      case 'Delete':
        return this.onDelete(event, connect, log);
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
    let lastLookBusy = false;
    for (;;) {
      // Connect's operations never finish at once, so every poll, the first included, waits first.
      const delayMs = pollDelayMs(this.clock.now() - startedAt);
      if (this.clock.now() + delayMs >= pollUntil) {
        return { IsComplete: false };
      }
      await this.clock.sleep(delayMs);
      let done = false;
      try {
        done = progress.waitFor === 'RELEASED' ? await this.releaseStep(event, connect, log) : await this.convergeStep(event, connect, log);
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
        return { IsComplete: true };
      }
      if (this.clock.now() >= progress.deadline) {
        throw this.timeoutError(event, progress.waitFor, lastLookBusy);
      }
    }
  }

  private async onCreate(event: ClaimedPhoneNumberEvent, connect: ConnectGateway, log: Logger): Promise<OnEventResult> {
    const desired = readDesiredNumber(event.ResourceProperties);
    const number = await new NumberClaimer(event, connect, log).claim(desired);
    return this.answer(number.arn, number.phoneNumber, 'CONVERGED');
  }

  private async onUpdate(event: ClaimedPhoneNumberEvent, connect: ConnectGateway, log: Logger): Promise<OnEventResult> {
    if (event.RequestType !== 'Update') {
      throw new Error('unreachable');
    }
    const desired = readDesiredNumber(event.ResourceProperties);
    const previous = readPreviousNumber(event.OldResourceProperties);
    const arn = event.PhysicalResourceId;
    if (numberChoiceKey(desired) !== numberChoiceKey(previous) || !isPhoneNumberArn(arn)) {
      // A different number is a different resource: claim it and answer with its ARN. CloudFormation then
      // deletes the old one in its cleanup phase, or deletes the new one if the update rolls back.
      log.info('Replacing the number', { from: describeNumber(previous), to: describeNumber(desired) });
      return this.onCreate(event, connect, log);
    }
    await applyTagChanges(connect, arn, previous.tags, desired.tags);
    const targetChanged = !desired.target.sameAs(previous.target);
    let waitFor: WaitFor = 'NOTHING';
    if (targetChanged) {
      // The association with a contact flow does not move with the number: isComplete makes it again.
      waitFor = await this.startIfIdle(() => connect.moveTo(arn, desired.target, this.moveToken(event, arn, desired)));
    } else if (desired.description !== previous.description) {
      waitFor = await this.startIfIdle(() => connect.setDescription(arn, desired.description, this.describeToken(event, arn, desired)));
    }
    if (!targetChanged && desired.contactFlow?.arn !== previous.contactFlow?.arn) {
      if (desired.contactFlow) {
        await connect.associateFlow(arn, desired.contactFlow);
      } else {
        await connect.disassociateFlow(arn, previous.contactFlow!);
      }
    }
    // A description change that rides along with a move is applied by isComplete once the move is done.
    // A number found by search is only known to Connect: ask for it to report the PhoneNumber attribute.
    const phoneNumber = desired.phoneNumber ?? (await connect.describe(arn))?.PhoneNumber ?? '';
    return this.answer(arn, phoneNumber, waitFor);
  }

  private async onDelete(event: ClaimedPhoneNumberEvent, connect: ConnectGateway, log: Logger): Promise<OnEventResult> {
    const done = await this.releaseStep(event, connect, log);
    return {
      PhysicalResourceId: event.PhysicalResourceId!,
      [PROGRESS_KEY]: this.progress(done ? 'NOTHING' : 'RELEASED'),
    };
  }

  /**
   * One look at the number during Create or Update: true once it is CLAIMED where and as declared.
   * Starts whatever is still missing (a move, a description), so it also finishes work that onEvent could
   * not start because an earlier operation was still running.
   */
  private async convergeStep(event: ClaimedPhoneNumberEvent, connect: ConnectGateway, log: Logger): Promise<boolean> {
    const desired = readDesiredNumber(event.ResourceProperties);
    const arn = event.PhysicalResourceId!;
    const summary = await connect.describe(arn);
    if (!summary) {
      throw new OperationFailedError(
        `${describeNumber(desired)} (${arn}) is no longer known to Connect: it was released while the deploy waited for it.`,
      );
    }
    const status = summary.PhoneNumberStatus?.Status;
    log.debug('Phone number status', { status, statusMessage: summary.PhoneNumberStatus?.Message });
    if (status === 'IN_PROGRESS') {
      return false;
    }
    if (status === 'FAILED') {
      const verb = event.RequestType === 'Create' ? 'claim' : 'update';
      throw new OperationFailedError(
        `Connect could not ${verb} ${summary.PhoneNumber ?? describeNumber(desired)} (${arn}): ${summary.PhoneNumberStatus?.Message ?? 'no reason given'}.`,
      );
    }
    if (!desired.target.isWhere(summary)) {
      await this.startIfIdle(() => connect.moveTo(arn, desired.target, this.moveToken(event, arn, desired)));
      return false;
    }
    if ((summary.PhoneNumberDescription ?? '') !== desired.description) {
      await this.startIfIdle(() => connect.setDescription(arn, desired.description, this.describeToken(event, arn, desired)));
      return false;
    }
    if (desired.contactFlow) {
      // Connect does not report the association, and a move drops it: (re)associating is idempotent.
      await connect.associateFlow(arn, desired.contactFlow);
    }
    return true;
  }

  /**
   * One attempt to release during Delete: true once nothing is left to do. Only a number this resource
   * owns is released; any other number is left exactly as it is.
   */
  private async releaseStep(event: ClaimedPhoneNumberEvent, connect: ConnectGateway, log: Logger): Promise<boolean> {
    const arn = event.PhysicalResourceId;
    if (!isPhoneNumberArn(arn)) {
      // The framework's CREATE_FAILED marker, or an id CloudFormation invented after a failed create:
      // this resource never claimed anything.
      log.info('Nothing to release: the physical id is not a phone number ARN');
      return true;
    }
    const summary = await connect.describe(arn);
    if (!summary) {
      log.info('Nothing to release: Connect no longer knows the number');
      return true;
    }
    const owner = Owner.of(event);
    const relation = owner.relationTo(summary.Tags);
    switch (relation.kind) {
      case 'OWNED_AFTER_HANDOVER':
        // Deleting the new resource while the one it took the number from still exists: the update that
        // moved the construct is rolling back. Give the number back instead of releasing it.
        log.info('Handing the number back to the resource it came from', { previousLogicalId: relation.previousLogicalId });
        await connect.tag(arn, { [OwnershipTag.OWNER]: owner.siblingTagValue(relation.previousLogicalId) });
        await connect.untag(arn, [OwnershipTag.HANDOVER_FROM]);
        return true;
      case 'SIBLING':
        if (relation.handedOverFromMe) {
          // The cleanup after a move: the new resource keeps the number for good.
          await connect.untag(arn, [OwnershipTag.HANDOVER_FROM]);
        }
        log.info('Not releasing: the number now belongs to another resource of this stack', { owner: relation.ownerLogicalId });
        return true;
      case 'FOREIGN':
        log.warn('Not releasing: this resource does not own the number', { ownerTag: relation.ownerTag });
        return true;
      case 'OWNED':
        return this.release(event, arn, summary, connect, log);
    }
  }

  private async release(
    event: ClaimedPhoneNumberEvent,
    arn: string,
    summary: ClaimedPhoneNumberSummary,
    connect: ConnectGateway,
    log: Logger,
  ): Promise<boolean> {
    if (summary.PhoneNumberStatus?.Status === 'IN_PROGRESS') {
      log.info('Waiting for an operation in progress before releasing');
      return false;
    }
    const declaredFlow = readPreviousNumber(event.ResourceProperties).contactFlow;
    if (declaredFlow) {
      // This resource associated the flow, so it removes the association that would block the release. If
      // Connect refuses (the association was never made, say), the release below tells whether it matters.
      try {
        await connect.disassociateFlow(arn, declaredFlow);
      } catch (error) {
        log.warn('Could not remove the contact flow association before releasing', { error: errorMessage(error) });
      }
    }
    try {
      await connect.release(arn, deriveClientToken(event, 'ReleasePhoneNumber', arn));
      log.info('Released the number', { phoneNumberArn: arn });
      return true;
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
        `Connect refuses to release ${summary.PhoneNumber} (${arn}): ${errorMessage(error)}. This usually means the ` +
          'number is associated with a contact flow. Remove the association (Connect console: Channels > Phone ' +
          'numbers > the number > Contact flow / IVR: none, or aws connect disassociate-phone-number-contact-flow), ' +
          'then retry the deployment; or keep the number with removalPolicy: RemovalPolicy.RETAIN.',
      );
    }
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
        'back, and the rollback releases the number once Connect finishes, so it does not stay claimed.',
    );
  }

  private gatewayFor(context: InvocationContext, log: Logger): ConnectGateway {
    return new ConnectGateway(this.client, this.clock, log, this.invocationDeadline(context));
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
