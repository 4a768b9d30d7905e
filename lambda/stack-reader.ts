/**
 * What the handler asks CloudFormation about its own stack, read-only: the stack's status, whether the
 * template in force declares a logical id, which physical id a logical id holds, and whether the asking
 * resource's last Create failed moments ago. An event alone does
 * not say whether a Delete is part of a rollback or what a user asked for, nor whether a sibling resource
 * that owns a number is going away (a construct moved in the tree) or stays (the number is declared twice):
 * the stack does.
 *
 * Every answer is read at most once per invocation (the stack does not change under one request in a way
 * that matters here) and every call is retried like the Connect calls.
 */
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { RESOURCE_TYPE } from '../lib/shared/contract';
import { errorMessage, errorName } from './connect-gateway';
import { Logger } from './logger';
import { Clock, CONNECT_BACKOFF, withRetries } from './retry';

/**
 * Statuses in which CloudFormation undoes a deploy. A Delete sent in one of them removes something the
 * failed deploy created (a new resource, or the new number of a replacement): the number is kept.
 */
const ROLLBACK_STATUSES: ReadonlySet<string> = new Set([
  'ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_IN_PROGRESS',
]);

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

export interface StackReader {
  /** The stack's status, e.g. UPDATE_ROLLBACK_IN_PROGRESS. */
  status(): Promise<string>;
  /** True while CloudFormation rolls a deploy back. */
  isRollingBack(): Promise<boolean>;
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
  private statusRead?: Promise<string>;
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

  status(): Promise<string> {
    this.statusRead ??= this.send('DescribeStacks', async () => {
      const out = await this.client.send(new DescribeStacksCommand({ StackName: this.scope.StackId }));
      const status = out.Stacks?.[0]?.StackStatus;
      if (!status) {
        throw new Error(`CloudFormation did not report the status of ${this.scope.StackId}.`);
      }
      return status;
    });
    return this.statusRead;
  }

  async isRollingBack(): Promise<boolean> {
    return ROLLBACK_STATUSES.has(await this.status());
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
          // "Resource X does not exist for stack Y": the stack holds no such resource.
          if (errorName(error) === 'ValidationError' && /does not exist/i.test(errorMessage(error))) {
            return undefined;
          }
          throw error;
        }
      });
      this.physicalIds.set(logicalId, read);
    }
    return read;
  }

  async lastFailedCreateAt(): Promise<number | undefined> {
    // The newest page (100 events, newest first) is enough: only a failure of the last few minutes matters.
    const out = await this.send('DescribeStackEvents', () => this.client.send(new DescribeStackEventsCommand({ StackName: this.scope.StackId })));
    const failed = (out.StackEvents ?? []).find(
      (event) => event.LogicalResourceId === this.scope.LogicalResourceId && event.ResourceStatus === 'CREATE_FAILED',
    );
    return failed?.Timestamp?.getTime();
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
