/**
 * The parent (or root) of a nested stack, as DescribeStacks shows it: a name, a StackId and a status the test
 * sets, nothing else. A nested stack reports DELETE_IN_PROGRESS whatever its parent is doing; only the
 * parent's status tells a delete the user asked for (parent DELETE_IN_PROGRESS, or a successful update that
 * removed the nested stack: UPDATE_COMPLETE_CLEANUP_IN_PROGRESS) from a rollback's (ROLLBACK_IN_PROGRESS,
 * UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS). Its own resources are not modelled: the handler never asks.
 */
import { randomUUID } from 'crypto';
import type { ViewableStack } from './api-operations';
import type { StackView } from './stack-model';
import { StackStatus } from './types';

export class ParentStackStub implements ViewableStack {
  readonly stackId: string;
  /**
   * When set, the status while `status` is UPDATE_IN_PROGRESS follows its nested stack's: a parent's update
   * contains its nested stacks' updates, their rollbacks, and (CloudFormation defers a nested stack's cleanup
   * so that the parent can still roll it back) their cleanup phase.
   */
  follow?: () => StackStatus | undefined;
  private readonly created = new Date();

  constructor(
    readonly stackName: string,
    public status: StackStatus,
    options: { readonly region?: string; readonly accountId?: string; readonly parent?: ParentStackStub } = {},
    private readonly parent = options.parent,
  ) {
    this.stackId = `arn:aws:cloudformation:${options.region ?? 'us-east-1'}:${options.accountId ?? '123456789012'}:stack/${stackName}/${randomUUID()}`;
  }

  /** The top-level stack above it (itself when it has no parent). */
  get rootId(): string {
    return this.parent ? this.parent.rootId : this.stackId;
  }

  /** The status DescribeStacks shows now. */
  get currentStatus(): StackStatus {
    if (this.status !== 'UPDATE_IN_PROGRESS' || !this.follow) return this.status;
    const nested = this.follow();
    if (nested === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') return 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    if (nested === 'UPDATE_ROLLBACK_IN_PROGRESS' || nested === 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS') return nested;
    return this.status;
  }

  view(stackNameOrId: string): StackView | undefined {
    if (stackNameOrId !== this.stackId && stackNameOrId !== this.stackName) return undefined;
    return {
      stackId: this.stackId,
      stackName: this.stackName,
      status: this.currentStatus,
      resourceType: 'AWS::CloudFormation::Stack',
      creationTime: this.created,
      template: { Resources: {} },
      resources: [],
      events: [],
      ...(this.parent ? { parentId: this.parent.stackId, rootId: this.parent.rootId } : {}),
    };
  }
}
