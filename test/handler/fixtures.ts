import { ClaimedPhoneNumberSummary, ConnectClient } from '@aws-sdk/client-connect';
/** Events, a fake clock and a silent logger for the handler's unit tests. */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Logger } from '../../lambda/logger';
import { ClaimedPhoneNumberEvent, ClaimedPhoneNumberHandler, HandlerSettings, InvocationContext } from '../../lambda/phone-number-handler';
import { Progress, PROGRESS_KEY } from '../../lambda/progress';
import { Clock } from '../../lambda/retry';
import { Declared, StackReader, StackSummary } from '../../lambda/stack-reader';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Numbers/5b7e1c80-0000-4000-8000-000000000001';
export const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
export const OTHER_INSTANCE_ID = '66666666-7777-4888-9999-000000000000';
export const TDG_ARN = 'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const NUMBER_ID = '0d6e4c4a-1b2c-4d3e-8f4a-5b6c7d8e9f00';
export const NUMBER_ARN = `arn:aws:connect:us-east-1:123456789012:phone-number/${NUMBER_ID}`;
export const OWNER_TAG = 'claimed-phone-number:owner';
export const KEPT_TAG = 'claimed-phone-number:kept-by-rollback';
export const KEPT_NUMBERS_TAG = 'claimed-phone-number:kept-numbers';
export const LOGICAL_ID = 'Support5CFB64A3';
export const HANDOVER_TAG = 'claimed-phone-number:handover-from';

export const PROPS = {
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  PhoneNumber: '+12065550100',
  InstanceId: INSTANCE_ID,
  PhoneNumberDescription: 'Support line',
  Tags: { team: 'support' },
};

type Props = { [key: string]: unknown };

const common = {
  ServiceToken: PROPS.ServiceToken,
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/secret-signature',
  StackId: STACK_ID,
  LogicalResourceId: LOGICAL_ID,
  ResourceType: 'Custom::ClaimedPhoneNumber',
};

export function createEvent(props: Props = PROPS, requestId = 'req-create-1'): ClaimedPhoneNumberEvent {
  return { ...common, RequestType: 'Create', RequestId: requestId, ResourceProperties: props } as CloudFormationCustomResourceEvent;
}

export function updateEvent(props: Props, oldProps: Props = PROPS, physicalId = NUMBER_ARN, requestId = 'req-update-1'): ClaimedPhoneNumberEvent {
  return {
    ...common,
    RequestType: 'Update',
    RequestId: requestId,
    PhysicalResourceId: physicalId,
    ResourceProperties: props,
    OldResourceProperties: oldProps,
  } as CloudFormationCustomResourceEvent;
}

export function deleteEvent(physicalId = NUMBER_ARN, props: Props = PROPS, requestId = 'req-delete-1'): ClaimedPhoneNumberEvent {
  return { ...common, RequestType: 'Delete', RequestId: requestId, PhysicalResourceId: physicalId, ResourceProperties: props } as CloudFormationCustomResourceEvent;
}

/** The event isComplete receives: the request plus what onEvent answered. */
export function withProgress(event: ClaimedPhoneNumberEvent, physicalId: string, progress: Progress): ClaimedPhoneNumberEvent {
  return { ...event, PhysicalResourceId: physicalId, [PROGRESS_KEY]: progress } as ClaimedPhoneNumberEvent;
}

/** A clock whose sleeps pass instantly, advancing its time; random() is fixed so backoffs are predictable. */
export class FakeClock implements Clock {
  time = Date.UTC(2026, 10, 27);
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
  random(): number {
    return 0.5;
  }
}

export const context = (remainingMs = 120_000): InvocationContext => ({ getRemainingTimeInMillis: () => remainingMs });

export const SETTINGS: HandlerSettings = { operationTimeoutMs: 60_000, pollBudgetMs: 30_000, safetyMarginMs: 5_000, visibilityGraceMs: 10_000 };

/**
 * The request's stack as the handler reads it, set by each test: its status, the logical ids its template
 * declares (the resource that asks always included), the physical ids it holds, and when the asking
 * resource's last Create failed.
 */
export class FakeStack implements StackReader {
  /** The stack status; unset: the status CloudFormation sends the request in (see `forRequest`). */
  status_?: string;
  /** The request type the handler reads the stack for. */
  private requestType?: string;
  /** This stack as the handler's stack reader factory hands it over for `scope` (the event). */
  forRequest(scope: object): this {
    this.requestType = (scope as { RequestType?: string }).RequestType;
    return this;
  }
  declared = new Set<string>([LOGICAL_ID]);
  physicalIds = new Map<string, string>();
  templateIsCurrent = true;
  reads = 0;
  async status(): Promise<string> {
    this.reads++;
    if (this.failure) throw this.failure;
    // A Delete by default is the cleanup after a successful update (a user's removal); anything else an update.
    return this.status_ ?? (this.requestType === 'Delete' ? 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' : 'UPDATE_IN_PROGRESS');
  }
  /** Statuses of the parents, nearest first (a nested stack); empty for a top-level stack. */
  parents: string[] = [];
  /** Throws this instead of answering (an unreadable stack). */
  failure?: Error;
  async lineage(): Promise<readonly StackSummary[]> {
    if (this.failure) throw this.failure;
    const own = { stackId: STACK_ID, status: await this.status(), ...(this.parents.length > 0 ? { parentId: 'parent-0' } : {}) };
    return [own, ...this.parents.map((status, i) => ({ stackId: `parent-${i}`, status, ...(i + 1 < this.parents.length ? { parentId: `parent-${i + 1}` } : {}) }))];
  }
  async declares(logicalId: string): Promise<Declared> {
    if (!this.templateIsCurrent) return 'unknown';
    return this.declared.has(logicalId) ? 'declared' : 'not-declared';
  }
  async physicalIdOf(logicalId: string): Promise<string | undefined> {
    return this.physicalIds.get(logicalId);
  }
  failedCreateAt?: number;
  async lastFailedCreateAt(): Promise<number | undefined> {
    return this.failedCreateAt;
  }
}

/** A handler over a (mocked) client, with a silent logger, the fast test settings, a fake clock and a fake stack. */
export function quietHandler(clock: FakeClock = new FakeClock(), stack: FakeStack = new FakeStack()): ClaimedPhoneNumberHandler {
  return new ClaimedPhoneNumberHandler(new ConnectClient({}), capturingLogger().logger, SETTINGS, clock, (scope) => stack.forRequest(scope));
}

/** A logger that keeps its lines for assertions instead of printing them. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger({}, (line) => lines.push(line)), lines };
}

export function summary(overrides: { [key: string]: unknown } = {}): ClaimedPhoneNumberSummary {
  return {
    PhoneNumberId: NUMBER_ID,
    PhoneNumberArn: NUMBER_ARN,
    PhoneNumber: '+12065550100',
    InstanceId: INSTANCE_ID,
    TargetArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`,
    PhoneNumberDescription: 'Support line',
    Tags: { team: 'support', [OWNER_TAG]: 'Numbers/Support5CFB64A3' },
    PhoneNumberStatus: { Status: 'CLAIMED' },
    ...overrides,
  } as ClaimedPhoneNumberSummary;
}

/** An SDK-shaped service error. */
export function serviceError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

/** The error `attempt` fails with; fails the test if it succeeds. */
export async function failureOf(attempt: Promise<unknown>): Promise<Error> {
  try {
    await attempt;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}
