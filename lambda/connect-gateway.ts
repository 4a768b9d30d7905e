/**
 * The handler's only door to Connect: one method per API call it makes, each retried (retry.ts) and
 * logged. Keeping the calls here keeps the lifecycle logic (phone-number-handler.ts) free of SDK details,
 * and lets unit tests count exactly which calls a lifecycle step makes.
 */
import {
  AssociatePhoneNumberContactFlowCommand,
  ClaimedPhoneNumberSummary,
  ClaimPhoneNumberCommand,
  DisassociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DescribePhoneNumberCommand,
  ImportPhoneNumberCommand,
  ListPhoneNumbersSummary,
  ListPhoneNumbersV2Command,
  ListPhoneNumbersV2Request,
  PhoneNumberCountryCode,
  PhoneNumberType,
  ReleasePhoneNumberCommand,
  SearchAvailablePhoneNumbersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePhoneNumberCommand,
  UpdatePhoneNumberMetadataCommand,
} from '@aws-sdk/client-connect';
import { Logger } from './logger';
import { Clock, CONNECT_BACKOFF, crowdFromEnvironment, CrowdPacing, RetryPolicy, withRetries } from './retry';
import { ContactFlow, NumberSearch } from './resource-properties';
import { Target } from './target';

export interface ClaimedNumberRef {
  readonly arn: string;
  readonly id: string;
}

export interface ClaimRequest {
  readonly phoneNumber: string;
  readonly target: Target;
  readonly description?: string;
  readonly tags: { [key: string]: string };
  readonly clientToken: string;
}

/** ImportPhoneNumber's request: an AWS End User Messaging SMS number into an instance (no other target). */
export interface ImportRequest {
  readonly sourcePhoneNumberArn: string;
  readonly instanceId: string;
  readonly description?: string;
  readonly tags: { [key: string]: string };
  readonly clientToken: string;
}

export class ConnectGateway {
  constructor(
    private readonly client: ConnectClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Epoch ms after which no new attempt of any call starts. */
    readonly deadline: number,
    /** How long to wait between attempts (retry.ts). */
    private readonly backoff: Omit<RetryPolicy, 'deadline'> = CONNECT_BACKOFF,
    /**
     * The crowd this invocation may be part of (retry.ts, CrowdPacing): the stack's numbers, from the function's
     * environment, for onEvent's calls. isComplete's looks (LOOK_BACKOFF) are not paced: claims and releases
     * reach Connect at its rate already, so only a handful of looks compete at once.
     */
    private readonly crowd: CrowdPacing | undefined = backoff === CONNECT_BACKOFF ? crowdFromEnvironment() : undefined,
  ) {}

  /**
   * Whether a call of this invocation went through. Only the first call of an invocation meets the crowd as it
   * starts (all N invocations call at once); a later call (the release after the look, a tag after a claim)
   * arrives at the pace the first calls went through at, so a refusal there is a collision, not a crowd, and
   * the short growing backoff serves it better than a window sized for the whole stack.
   */
  private through = false;

  async claim(request: ClaimRequest): Promise<ClaimedNumberRef> {
    const out = await this.send('ClaimPhoneNumber', () =>
      this.client.send(
        new ClaimPhoneNumberCommand({
          PhoneNumber: request.phoneNumber,
          ...request.target.asRequestMembers(),
          PhoneNumberDescription: request.description,
          Tags: request.tags,
          ClientToken: request.clientToken,
        }),
      ),
    );
    return { arn: out.PhoneNumberArn!, id: out.PhoneNumberId! };
  }

  /** Imports a number; asynchronous like a claim (DescribePhoneNumber shows IN_PROGRESS, then CLAIMED). */
  async importNumber(request: ImportRequest): Promise<ClaimedNumberRef> {
    const out = await this.send('ImportPhoneNumber', () =>
      this.client.send(
        new ImportPhoneNumberCommand({
          SourcePhoneNumberArn: request.sourcePhoneNumberArn,
          InstanceId: request.instanceId,
          PhoneNumberDescription: request.description,
          Tags: request.tags,
          ClientToken: request.clientToken,
        }),
      ),
    );
    return { arn: out.PhoneNumberArn!, id: out.PhoneNumberId! };
  }

  /** The number imported from `sourcePhoneNumberArn`, wherever it is in this account and Region, or undefined. */
  async findImported(sourcePhoneNumberArn: string): Promise<ClaimedNumberRef | undefined> {
    // ListPhoneNumbersV2 has no filter by source, but its summaries name it.
    for await (const summary of this.listPhoneNumbers({})) {
      if (summary.SourcePhoneNumberArn === sourcePhoneNumberArn) {
        return { arn: summary.PhoneNumberArn!, id: summary.PhoneNumberId! };
      }
    }
    return undefined;
  }

  /** The number's summary, or undefined when Connect does not know it (released, or never claimed). */
  async describe(phoneNumberArn: string): Promise<ClaimedPhoneNumberSummary | undefined> {
    try {
      const out = await this.send('DescribePhoneNumber', () =>
        this.client.send(new DescribePhoneNumberCommand({ PhoneNumberId: phoneNumberArn })),
      );
      return out.ClaimedPhoneNumberSummary;
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /** The number as claimed anywhere in this account and Region, or undefined. */
  async findClaimed(phoneNumber: string): Promise<ClaimedNumberRef | undefined> {
    // PhoneNumberPrefix takes at most 11 digits (API model pattern \+?[0-9]{1,11}): a longer number (a UK
    // number has 12) is looked up by its first 11 digits and matched exactly below.
    const prefix = phoneNumber.replace(/^(\+?\d{1,11}).*$/, '$1');
    for await (const summary of this.listPhoneNumbers({ PhoneNumberPrefix: prefix })) {
      if (summary.PhoneNumber === phoneNumber) {
        return { arn: summary.PhoneNumberArn!, id: summary.PhoneNumberId! };
      }
    }
    return undefined;
  }

  /** Numbers claimed to `target` that match a search (ListPhoneNumbersV2 filters), all pages. */
  async listClaimedMatching(target: Target, search: NumberSearch): Promise<ClaimedNumberRef[]> {
    const found: ClaimedNumberRef[] = [];
    const filters: ListPhoneNumbersV2Request = {
      ...target.asRequestMembers(),
      PhoneNumberCountryCodes: [search.countryCode as PhoneNumberCountryCode],
      PhoneNumberTypes: [search.type as PhoneNumberType],
      PhoneNumberPrefix: search.prefix,
    };
    for await (const summary of this.listPhoneNumbers(filters)) {
      found.push({ arn: summary.PhoneNumberArn!, id: summary.PhoneNumberId! });
    }
    return found;
  }

  /**
   * Every ListPhoneNumbersV2 summary for `filters`, page after page, fetched only as far as it is read. The
   * handler's look-ups stop early, so they read 100 a page; a walk over the whole account (the inventory
   * command) asks for the API's maximum, 1,000.
   */
  async *listPhoneNumbers(filters: ListPhoneNumbersV2Request, pageSize = 100): AsyncGenerator<ListPhoneNumbersSummary> {
    let nextToken: string | undefined;
    do {
      const page = await this.send('ListPhoneNumbersV2', () =>
        this.client.send(new ListPhoneNumbersV2Command({ ...filters, NextToken: nextToken, MaxResults: pageSize })),
      );
      yield* page.ListPhoneNumbersSummaryList ?? [];
      nextToken = page.NextToken;
    } while (nextToken);
  }

  /** One page of numbers available to claim to `target`. */
  async searchAvailable(target: Target, search: NumberSearch, nextToken?: string): Promise<{ numbers: string[]; nextToken?: string }> {
    const page = await this.send('SearchAvailablePhoneNumbers', () =>
      this.client.send(
        new SearchAvailablePhoneNumbersCommand({
          ...target.asRequestMembers(),
          PhoneNumberCountryCode: search.countryCode as PhoneNumberCountryCode,
          PhoneNumberType: search.type as PhoneNumberType,
          PhoneNumberPrefix: search.prefix,
          MaxResults: 10,
          NextToken: nextToken,
        }),
      ),
    );
    return { numbers: (page.AvailableNumbersList ?? []).map((summary) => summary.PhoneNumber!), nextToken: page.NextToken };
  }

  async associateFlow(phoneNumberArn: string, flow: ContactFlow): Promise<void> {
    await this.send('AssociatePhoneNumberContactFlow', () =>
      this.client.send(
        new AssociatePhoneNumberContactFlowCommand({ PhoneNumberId: phoneNumberArn, InstanceId: flow.instanceId, ContactFlowId: flow.flowId }),
      ),
    );
  }

  /** Removes the association; a number or association that is already gone counts as done. */
  async disassociateFlow(phoneNumberArn: string, flow: ContactFlow): Promise<void> {
    try {
      await this.send('DisassociatePhoneNumberContactFlow', () =>
        this.client.send(new DisassociatePhoneNumberContactFlowCommand({ PhoneNumberId: phoneNumberArn, InstanceId: flow.instanceId })),
      );
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
    }
  }

  async release(phoneNumberArn: string, clientToken: string): Promise<void> {
    await this.send('ReleasePhoneNumber', () =>
      this.client.send(new ReleasePhoneNumberCommand({ PhoneNumberId: phoneNumberArn, ClientToken: clientToken })),
    );
  }

  async moveTo(phoneNumberArn: string, target: Target, clientToken: string): Promise<void> {
    await this.send('UpdatePhoneNumber', () =>
      this.client.send(
        new UpdatePhoneNumberCommand({ PhoneNumberId: phoneNumberArn, ...target.asRequestMembers(), ClientToken: clientToken }),
      ),
    );
  }

  async setDescription(phoneNumberArn: string, description: string, clientToken: string): Promise<void> {
    await this.send('UpdatePhoneNumberMetadata', () =>
      this.client.send(
        new UpdatePhoneNumberMetadataCommand({
          PhoneNumberId: phoneNumberArn,
          PhoneNumberDescription: description,
          ClientToken: clientToken,
        }),
      ),
    );
  }

  async tag(phoneNumberArn: string, tags: { [key: string]: string }): Promise<void> {
    await this.send('TagResource', () => this.client.send(new TagResourceCommand({ resourceArn: phoneNumberArn, tags })));
  }

  async untag(phoneNumberArn: string, tagKeys: string[]): Promise<void> {
    await this.send('UntagResource', () =>
      this.client.send(new UntagResourceCommand({ resourceArn: phoneNumberArn, tagKeys })),
    );
  }

  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const started = this.clock.now();
    try {
      const calls = CALLS_PER_NUMBER[operation] ?? 1;
      const crowd = this.through || !this.crowd ? undefined : crowdOfCalls(this.crowd, calls);
      const result = await withRetries(
        call,
        { ...this.backoff, deadline: this.deadline, crowd },
        this.clock,
        (error, attempt, delayMs) =>
          this.logger.info('Connect call will be retried', { operation, attempt, delayMs, error: describeError(error) }),
      );
      this.through = true;
      this.logger.debug('Connect call succeeded', { operation, elapsedMs: this.clock.now() - started });
      return result;
    } catch (error) {
      this.logger.warn('Connect call failed', { operation, elapsedMs: this.clock.now() - started, error: describeError(error) });
      throw error;
    }
  }
}

/**
 * How many calls of an operation each number of a crowd makes against that operation's limit, where more than
 * one: a Delete or an Update reads its number in onEvent, and isComplete reads it again (it is gone; it is
 * CLAIMED), so in a stack delete DescribePhoneNumber serves two calls per number and its crowd is twice the
 * stack's numbers (retry.ts, CrowdPacing). A Create's onEvent does not describe: its claims pace for N.
 */
const CALLS_PER_NUMBER: { readonly [operation: string]: number } = { DescribePhoneNumber: 2 };

/**
 * The crowd of an operation each number calls `calls` times. Only onEvent's calls are paced; isComplete's looks
 * (the other calls) retry at their steady pace, so near the end of the crowd's rounds the looks of the numbers
 * just released take tokens a paced caller would count as a bigger crowd: such a crowd needs one more round of
 * refusals before it believes it (bench: a stack delete of 400 otherwise jumped in 3 runs of 8, up to 1.65 x the bound).
 */
function crowdOfCalls(pacing: CrowdPacing, calls: number): CrowdPacing {
  if (calls === 1) {
    return pacing;
  }
  const extraRounds = { ...pacing.extraRounds, first: pacing.extraRounds.first + 1 };
  return { ...pacing, crowd: pacing.crowd * calls, accountCrowd: pacing.accountCrowd * calls, extraRounds };
}

export function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeError(error: unknown): { name?: string; message: string; httpStatusCode?: number } {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return { name: errorName(error), message: errorMessage(error), httpStatusCode: status };
}
