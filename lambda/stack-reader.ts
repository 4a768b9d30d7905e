/**
 * What the handler asks CloudFormation about its own stack, read-only: the stack's status, whether the
 * template in force declares a logical id, which physical id a logical id holds, and whether the asking
 * resource's last Create failed moments ago. An event alone does
 * not say whether a Delete is part of a rollback or what a user asked for, nor whether a sibling resource
 * that owns a number is going away (a construct moved in the tree) or stays (the number is declared twice):
 * the stack does.
 *
 * For a nested stack it also reads the parents (ParentId, up to RootId): a nested stack reports
 * DELETE_IN_PROGRESS whatever its parent is doing, and only the parents' statuses tell a delete the user
 * asked for from a rollback's.
 *
 * Every answer is read at most once per invocation (the stack does not change under one request in a way
 * that matters here), and every call is retried like the Connect calls: throttling (CloudFormation answers
 * HTTP 400 `Throttling`, and its read API is shared with `cdk deploy`'s own polling) and transient errors as
 * the SDK classifies them, with growing backoff, until shortly before the invocation's deadline.
 */
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { RESOURCE_TYPE } from '../lib/shared/contract';
import { errorMessage, errorName } from './connect-gateway';
import { Logger } from './logger';
import { Clock, CONNECT_BACKOFF, withRetries } from './retry';

/** How far back the stack's events are read for a failed Create: well beyond the visibility grace. */
const FAILED_CREATE_LOOKBACK_MS = 15 * 60_000;
/** At most this many pages of events (100 each) are read for it. */
const MAX_EVENT_PAGES = 5;
/** Nesting deeper than this is not followed (CloudFormation itself limits nesting depth). */
const MAX_ANCESTORS = 10;

/** A resource of a template as GetTemplate returns it (Original stage: intrinsic functions unresolved). */
export interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: { readonly [name: string]: unknown };
}

/** True for CloudFormation's answer about a stack (name or id) that does not exist or was deleted. */
export function isStackMissing(error: unknown): boolean {
  return errorName(error) === 'ValidationError' && /does not exist/i.test(errorMessage(error));
}

/** Whether the template in force declares a resource; `unknown` when the template is not the one being deployed. */
export type Declared = 'declared' | 'not-declared' | 'unknown';

/** One stack as DescribeStacks reports it. */
export interface StackSummary {
  readonly stackId: string;
  readonly status: string;
  /** The stack that holds this one, for a nested stack. */
  readonly parentId?: string;
}

export interface StackReader {
  /** The stack's status, e.g. UPDATE_ROLLBACK_IN_PROGRESS. */
  status(): Promise<string>;
  /**
   * The asking stack and, for a nested stack, each parent up to the root: `[own, parent, ..., root]`.
   * Parents are read only when asked for, so a top-level stack costs one DescribeStacks.
   */
  lineage(): Promise<readonly StackSummary[]>;
  /** Whether the template in force declares `logicalId` as a claimed number. */
  declares(logicalId: string): Promise<Declared>;
  /** The physical id CloudFormation holds for `logicalId`, or undefined when the stack has no such resource. */
  physicalIdOf(logicalId: string): Promise<string | undefined>;
  /**
   * When the latest failed Create of the asking resource failed (epoch ms), among the stack's newest events;
   * undefined when there is none. A Create that died after Connect accepted its claim fails like this.
   */
  lastFailedCreateAt(): Promise<number | undefined>;
}

export interface StackScope {
  readonly StackId: string;
  readonly LogicalResourceId: string;
}

export class CloudFormationStackReader implements StackReader {
  private readonly summaries = new Map<string, Promise<StackSummary>>();
  private templateRead?: Promise<{ readonly [logicalId: string]: TemplateResource }>;
  private readonly physicalIds = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly client: CloudFormationClient,
    private readonly scope: StackScope,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Epoch ms after which no new attempt of any call starts. */
    private readonly deadline: number,
  ) {}

  async status(): Promise<string> {
    return (await this.summaryOf(this.scope.StackId)).status;
  }

  async lineage(): Promise<readonly StackSummary[]> {
    const chain = [await this.summaryOf(this.scope.StackId)];
    while (chain[chain.length - 1].parentId && chain.length <= MAX_ANCESTORS) {
      chain.push(await this.summaryOf(chain[chain.length - 1].parentId!));
    }
    return chain;
  }

  /** DescribeStacks of one stack (by id: a deleted stack is still found), read once. */
  summaryOf(stackId: string): Promise<StackSummary> {
    let read = this.summaries.get(stackId);
    if (!read) {
      read = this.send('DescribeStacks', async () => {
        const out = await this.client.send(new DescribeStacksCommand({ StackName: stackId }));
        const stack = out.Stacks?.[0];
        if (!stack?.StackStatus) {
          throw new Error(`CloudFormation did not report the status of ${stackId}.`);
        }
        return { stackId: stack.StackId ?? stackId, status: stack.StackStatus, ...(stack.ParentId ? { parentId: stack.ParentId } : {}) };
      });
      this.summaries.set(stackId, read);
    }
    return read;
  }

  /** The resources of the template in force, read once. */
  templateResources(): Promise<{ readonly [logicalId: string]: TemplateResource }> {
    this.templateRead ??= this.send('GetTemplate', async () => {
      const out = await this.client.send(new GetTemplateCommand({ StackName: this.scope.StackId, TemplateStage: 'Original' }));
      return (JSON.parse(out.TemplateBody ?? '{}') as { Resources?: { [logicalId: string]: TemplateResource } }).Resources ?? {};
    });
    return this.templateRead;
  }

  async declares(logicalId: string): Promise<Declared> {
    const resources = await this.templateResources();
    // The template in force always declares the resource that asks; if it does not, it is an older one.
    if (resources[this.scope.LogicalResourceId]?.Type !== RESOURCE_TYPE) {
      return 'unknown';
    }
    return resources[logicalId]?.Type === RESOURCE_TYPE ? 'declared' : 'not-declared';
  }

  physicalIdOf(logicalId: string): Promise<string | undefined> {
    let read = this.physicalIds.get(logicalId);
    if (!read) {
      read = this.send('DescribeStackResource', async () => {
        try {
          const out = await this.client.send(new DescribeStackResourceCommand({ StackName: this.scope.StackId, LogicalResourceId: logicalId }));
          return out.StackResourceDetail?.PhysicalResourceId;
        } catch (error) {
          // "Resource X does not exist for stack Y": the stack holds no such resource. ("Stack with id X does not
          // exist" is not that answer: it stays an error.)
          if (errorName(error) === 'ValidationError' && /^Resource .* does not exist for stack/i.test(errorMessage(error))) {
            return undefined;
          }
          throw error;
        }
      });
      this.physicalIds.set(logicalId, read);
    }
    return read;
  }

  /**
   * The physical id of every resource of the stack (ListStackResources, 100 a page): a few calls for a stack of
   * hundreds of numbers where physicalIdOf costs one each (the inventory command reads whole stacks).
   */
  async allPhysicalIds(): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.send('ListStackResources', () => this.client.send(new ListStackResourcesCommand({ StackName: this.scope.StackId, NextToken: token })));
      for (const resource of page.StackResourceSummaries ?? []) {
        if (resource.LogicalResourceId && resource.PhysicalResourceId) {
          ids.set(resource.LogicalResourceId, resource.PhysicalResourceId);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return ids;
  }

  async lastFailedCreateAt(): Promise<number | undefined> {
    // Events come newest first, 100 a page. Only a failure of the last few minutes matters, but a large stack
    // writes hundreds of events in that time: read on until the events are older than the lookback.
    const oldest = this.clock.now() - FAILED_CREATE_LOOKBACK_MS;
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_EVENT_PAGES; page++) {
      const token = nextToken;
      const out = await this.send('DescribeStackEvents', () => this.client.send(new DescribeStackEventsCommand({ StackName: this.scope.StackId, NextToken: token })));
      const events = out.StackEvents ?? [];
      const failed = events.find((event) => event.LogicalResourceId === this.scope.LogicalResourceId && event.ResourceStatus === 'CREATE_FAILED');
      if (failed) {
        return failed.Timestamp?.getTime();
      }
      const last = events[events.length - 1]?.Timestamp?.getTime();
      nextToken = out.NextToken;
      if (!nextToken || last === undefined || last < oldest) {
        return undefined;
      }
    }
    return undefined;
  }

  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return withRetries(
      call,
      // CloudFormation's read API is shared by the same crowd of invocations: the same growing backoff.
      { deadline: this.deadline, ...CONNECT_BACKOFF },
      this.clock,
      (error, attempt, delayMs) => this.logger.info('CloudFormation call will be retried', { operation, attempt, delayMs, error: errorMessage(error) }),
    );
  }
}

/**
 * Statuses in which CloudFormation undoes a deploy. An Update sent in one of them restores (never claims); a
 * Delete sent in one of them removes something the failed deploy created, and keeps the number.
 */
const ROLLBACK_STATUSES: ReadonlySet<string> = new Set([
  'ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_IN_PROGRESS',
]);

export function isRollbackStatus(status: string): boolean {
  return ROLLBACK_STATUSES.has(status);
}
