/**
 * What CloudFormation says about the stack an owner tag names, read once per stack however many numbers it
 * owns: whether it exists, its status, the template in force and its resources' physical ids.
 *
 * An owner scope is a stack name (top-level stacks, and nested stacks as 0.2.0 tagged them), or
 * `<root stack name>/<nested-stack logical id>/...` (nested stacks from 0.3.0 on, whose generated names change
 * when they are created again): the nested stack is found from its root, one DescribeStackResource per level.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { Logger } from '../lambda/logger';
import { Clock } from '../lambda/retry';
import { CloudFormationStackReader, isStackMissing, TemplateResource } from '../lambda/stack-reader';

export type StackFacts =
  | { readonly exists: false; readonly why: string }
  | {
      readonly exists: true;
      readonly stackId: string;
      readonly status: string;
      readonly template: { readonly [logicalId: string]: TemplateResource };
      readonly physicalIds: ReadonlyMap<string, string>;
    };

export class StackDirectory {
  private readonly read = new Map<string, Promise<StackFacts>>();

  constructor(
    private readonly client: CloudFormationClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly deadline: number,
  ) {}

  /** The facts for an owner scope, read at most once. */
  facts(scope: string): Promise<StackFacts> {
    let facts = this.read.get(scope);
    if (!facts) {
      facts = this.readFacts(scope);
      this.read.set(scope, facts);
    }
    return facts;
  }

  private async readFacts(scope: string): Promise<StackFacts> {
    const [root, ...path] = scope.split('/');
    let stackId = root;
    for (const nestedLogicalId of path) {
      const parent = this.reader(stackId);
      const nestedId = await this.orMissing(() => parent.physicalIdOf(nestedLogicalId));
      if (nestedId === MISSING) return { exists: false, why: `stack ${stackId} does not exist` };
      if (!nestedId) return { exists: false, why: `stack ${stackId} has no nested stack ${nestedLogicalId}` };
      stackId = nestedId;
    }
    const reader = this.reader(stackId);
    const status = await this.orMissing(() => reader.status());
    if (status === MISSING) return { exists: false, why: `stack ${scope} does not exist` };
    if (status === 'DELETE_COMPLETE') return { exists: false, why: `stack ${scope} was deleted` };
    const [template, physicalIds] = await Promise.all([reader.templateResources(), reader.allPhysicalIds()]);
    return { exists: true, stackId, status, template, physicalIds };
  }

  private reader(stackId: string): CloudFormationStackReader {
    // The reader reads one stack; the logical id it asks for is irrelevant to the reads used here.
    return new CloudFormationStackReader(this.client, { StackId: stackId, LogicalResourceId: '' }, this.clock, this.logger, this.deadline);
  }

  private async orMissing<T>(read: () => Promise<T>): Promise<T | typeof MISSING> {
    try {
      return await read();
    } catch (error) {
      if (isStackMissing(error)) return MISSING;
      throw error;
    }
  }
}

const MISSING = Symbol('missing');
