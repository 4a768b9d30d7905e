/**
 * The read-only CloudFormation operations the handler may call about its own stack, answered from stack
 * models: DescribeStacks, GetTemplate, DescribeStackResource, ListStackResources (100 summaries a page),
 * DescribeStackEvents (the newest 100 resource events, newest first; the model records no stack events).
 * Names and ARNs are looked up as CloudFormation does: a name finds the current stack of that name unless
 * it was deleted; a StackId finds that stack even once deleted.
 */
import { QueryError, validationError, XmlStructure } from './query-protocol';
import type { StackView } from './stack-model';
import { ResourceRecord } from './types';

export const LIST_STACK_RESOURCES_PAGE_SIZE = 100;

export const OPERATIONS = ['DescribeStacks', 'GetTemplate', 'DescribeStackResource', 'ListStackResources', 'DescribeStackEvents'] as const;
export const DESCRIBE_STACK_EVENTS_PAGE_SIZE = 100;
export type OperationName = (typeof OPERATIONS)[number];

export function isOperation(action: string): action is OperationName {
  return (OPERATIONS as readonly string[]).includes(action);
}

/** The stack a name or StackId designates, across the models. */
/** Anything the API can show as a stack: a stack model, or a parent stack stub (parent-stack-stub.ts). */
export interface ViewableStack {
  readonly stackName: string;
  view(stackNameOrId: string): StackView | undefined;
}

export function findStack(models: readonly ViewableStack[], stackNameOrId: string): StackView | undefined {
  for (const model of models) {
    const view = model.view(stackNameOrId);
    if (view) return view;
  }
  return undefined;
}

export function answer(operation: OperationName, input: Record<string, string>, models: readonly ViewableStack[]): XmlStructure {
  switch (operation) {
    case 'DescribeStacks':
      return describeStacks(input, models);
    case 'GetTemplate':
      return getTemplate(input, models);
    case 'DescribeStackResource':
      return describeStackResource(input, models);
    case 'ListStackResources':
      return listStackResources(input, models);
    case 'DescribeStackEvents':
      return describeStackEvents(input, models);
  }
}

function describeStackEvents(input: Record<string, string>, models: readonly ViewableStack[]): XmlStructure {
  const stack = requireStack(models, required(input, 'StackName'));
  const newest = [...stack.events].reverse().slice(0, DESCRIBE_STACK_EVENTS_PAGE_SIZE);
  return {
    StackEvents: newest.map((event) => ({
      StackId: stack.stackId,
      EventId: event.eventId,
      StackName: stack.stackName,
      LogicalResourceId: event.logicalId,
      PhysicalResourceId: event.physicalId,
      ResourceType: stack.resourceType,
      Timestamp: event.at,
      ResourceStatus: event.status,
      ResourceStatusReason: event.reason,
    })),
  };
}

function describeStacks(input: Record<string, string>, models: readonly ViewableStack[]): XmlStructure {
  const stacks = input.StackName
    ? [requireStack(models, input.StackName)]
    : models.map((model) => model.view(model.stackName)).filter((view): view is StackView => view !== undefined);
  return {
    Stacks: stacks.map((stack) => ({
      StackId: stack.stackId,
      StackName: stack.stackName,
      CreationTime: stack.creationTime,
      LastUpdatedTime: stack.lastUpdatedTime,
      DeletionTime: stack.status === 'DELETE_COMPLETE' ? stack.lastUpdatedTime : undefined,
      StackStatus: stack.status,
      ParentId: stack.parentId,
      RootId: stack.rootId,
      DisableRollback: false,
      EnableTerminationProtection: false,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    })),
  };
}

function getTemplate(input: Record<string, string>, models: readonly ViewableStack[]): XmlStructure {
  const stack = requireStack(models, required(input, 'StackName'));
  const stage = input.TemplateStage ?? 'Original';
  if (stage !== 'Original' && stage !== 'Processed') {
    throw validationError(
      `1 validation error detected: Value '${stage}' at 'templateStage' failed to satisfy constraint: Member must satisfy enum value set: [Original, Processed]`,
    );
  }
  return { TemplateBody: JSON.stringify(stack.template), StagesAvailable: ['Original', 'Processed'] };
}

function describeStackResource(input: Record<string, string>, models: readonly ViewableStack[]): XmlStructure {
  const stackName = required(input, 'StackName');
  const logicalId = required(input, 'LogicalResourceId');
  const stack = requireStack(models, stackName);
  const resource = stack.resources.find((r) => r.logicalId === logicalId);
  if (!resource) throw validationError(`Resource ${logicalId} does not exist for stack ${stackName}`);
  return {
    StackResourceDetail: {
      StackName: stack.stackName,
      StackId: stack.stackId,
      ...summary(stack, resource),
    },
  };
}

function listStackResources(input: Record<string, string>, models: readonly ViewableStack[]): XmlStructure {
  const stack = requireStack(models, required(input, 'StackName'));
  const offset = input.NextToken ? decodeToken(input.NextToken, stack.stackId) : 0;
  const page = stack.resources.slice(offset, offset + LIST_STACK_RESOURCES_PAGE_SIZE);
  const next = offset + page.length;
  return {
    StackResourceSummaries: page.map((resource) => summary(stack, resource)),
    NextToken: next < stack.resources.length ? encodeToken(stack.stackId, next) : undefined,
  };
}

function summary(stack: StackView, resource: ResourceRecord): XmlStructure {
  return {
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: stack.resourceType,
    LastUpdatedTimestamp: resource.lastUpdated,
    ResourceStatus: resource.status,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

function requireStack(models: readonly ViewableStack[], stackNameOrId: string): StackView {
  const stack = findStack(models, stackNameOrId);
  if (!stack) throw validationError(`Stack with id ${stackNameOrId} does not exist`);
  return stack;
}

function required(input: Record<string, string>, name: string): string {
  const value = input[name];
  if (value === undefined || value === '') {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function encodeToken(stackId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ stackId, offset })).toString('base64');
}

function decodeToken(token: string, stackId: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { stackId?: unknown; offset?: unknown };
    if (decoded.stackId === stackId && typeof decoded.offset === 'number' && Number.isInteger(decoded.offset) && decoded.offset >= 0) {
      return decoded.offset;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new QueryError('ValidationError', 'Invalid NextToken');
}
