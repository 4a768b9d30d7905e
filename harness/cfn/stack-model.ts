/**
 * A model of one CloudFormation stack whose resources are custom resources served by one provider: it plays
 * whole deploys (create, update, delete) with failures and rollbacks, sends each request CloudFormation
 * would send, in CloudFormation's phases, and keeps what CloudFormation would know (stack status and its
 * history, the template, each resource's physical id, properties, attributes and status), for assertions
 * and for the read-only CloudFormation API stand-in (../cloudformation-api.ts).
 *
 * Phases and what each sends (the statuses are those of the User Guide, "Stack status codes":
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes,
 * doc_source/cfn-console-view-stack-data-resources.md in awsdocs/aws-cloudformation-user-guide):
 * - First deploy, CREATE_IN_PROGRESS: Create for each resource, in template order. On a failure,
 *   ROLLBACK_IN_PROGRESS ("ongoing removal ... after a failed stack creation"): Delete for every resource
 *   created so far, newest first, with the physical id its answer carried (the Provider framework's
 *   CREATE_FAILED marker included; the framework answers that one itself), then ROLLBACK_COMPLETE (or
 *   ROLLBACK_FAILED if a Delete failed). "When in this state, only a delete operation can be performed":
 *   the next deployStack() first deletes the stack (DELETE_IN_PROGRESS sends nothing for resources already
 *   deleted), then creates it again under the same name with a new StackId.
 * - Later deploys, UPDATE_IN_PROGRESS: Create for new logical ids and Update for changed properties, in
 *   template order (CloudFormation may run them concurrently: `concurrency` > 1 does too). An answer with a
 *   different physical id is a replacement. On success, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ("ongoing
 *   removal of old resources ... after a successful stack update"): Delete of each replaced old physical id
 *   with its old properties unless UpdateReplacePolicy is Retain, then Delete of each removed logical id
 *   unless DeletionPolicy is Retain; then UPDATE_COMPLETE.
 * - Update failure, UPDATE_ROLLBACK_IN_PROGRESS ("ongoing return ... to the previous working state"): each
 *   replaced resource points at its old physical id again (nothing is sent), then every resource updated in
 *   place, newest first, gets the reverse Update (ResourceProperties = old, OldResourceProperties = new, same
 *   physical id), the resource whose own Update failed included (the Provider framework answers a failed
 *   Update with the current physical id and CloudFormation sends it the reverse Update: aws-cdk issue 17040).
 *   Then UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ("ongoing removal of new resources ... after a failed
 *   stack update ... still deleting any new resources it created during the stack update"): Delete of each
 *   logical id created during the update (failed ones with the marker) and of each replacement's new
 *   physical id (with the new properties); then UPDATE_ROLLBACK_COMPLETE. If a reverse Update fails, no
 *   further one starts and the stack is UPDATE_ROLLBACK_FAILED; continueUpdateRollback({ resourcesToSkip })
 *   retries the failed and remaining ones, or marks the skipped ones UPDATE_COMPLETE with the old template's
 *   properties without sending anything (as the ContinueUpdateRollback API describes), then finishes.
 * - deleteStack(), DELETE_IN_PROGRESS: Delete for every resource, newest first, unless DeletionPolicy is
 *   Retain (or it is in `retainResources`, allowed only from DELETE_FAILED); DELETE_COMPLETE, or
 *   DELETE_FAILED if a Delete failed (the failed resources stay, and deleteStack() can be called again).
 * - DeletionPolicy Retain also keeps a resource created by the operation being rolled back; only
 *   RetainExceptOnCreate lets that rollback delete it (DeletionPolicy attribute and RollbackStack
 *   RetainExceptOnCreate in the User Guide / API reference).
 * - Failures: the handler's own FAILED answers, or `failUnrelatedAfter: n` (another resource of the same
 *   deploy fails once n of our operations have completed, or after all of them if there are fewer; no
 *   further operation of ours starts, the ones in flight finish).
 * - Attributes (Data) are replaced by each successful answer, never merged.
 *
 * Variants where CloudFormation's behaviour is not documented (options of the model; default first):
 * (a) `failedUpdatePhysicalId`: a FAILED Update answer that carries a different physical id (the Provider
 *     framework does that when onEvent returned a new id and isComplete then failed). 'keep-previous'
 *     (default): CloudFormation keeps the physical id it had, and the reverse Update is sent with it;
 *     'record-new': it records the new one, and the reverse Update is sent with the new one.
 * (b) `templateWhileUpdating`: what GetTemplate returns in UPDATE_IN_PROGRESS, UPDATE_ROLLBACK_IN_PROGRESS
 *     and UPDATE_ROLLBACK_FAILED. 'deploying' (default): the template being deployed; 'previous': the one
 *     before the update. In both, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS returns the new template and
 *     UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS (the stack "has been rolled back to its previous working
 *     state") the previous one.
 * (c) `cleanupDeleteAttempts`: how many Delete requests a failing cleanup Delete gets before CloudFormation
 *     gives up and removes the resource from the stack anyway (the stack still completes). 1 (default); the
 *     User Guide ("Monitor the progress of a stack update") says three attempts for replaced resources, but
 *     not whether each attempt is a new custom resource request: 3 plays that reading.
 *
 * Not modelled: dependencies between resources (there are none between claimed numbers), stack policies,
 * change sets, timeouts (ServiceTimeout), a reverse Update answered with a new physical id (recorded as
 * is), resources of other types. A resource whose Delete succeeded (or that was retained) leaves the
 * stack's resource list at once, also for a deleted stack.
 */
import { randomUUID } from 'crypto';
import type { CfnRequest, CfnResponse, HandleOptions } from '../provider-framework';
import { createStack } from './create-stack';
import { deleteStack } from './delete-stack';
import { asCloudFormationSends, copyProperties } from './properties';
import {
  Properties,
  ResourcePolicies,
  ResourceProvider,
  ResourceRecord,
  StackStatus,
  StatusChange,
  StepRecord,
  TemplateDocument,
  TemplateEntries,
  TemplateEntry,
} from './types';
import { continueUpdateRollback, updateStack } from './update-stack';

export const SECRET_RESPONSE_URL_MARKER = 'X-Amz-Signature=harness-secret-signature';
export const DEFAULT_RESOURCE_TYPE = 'Custom::ClaimedPhoneNumber';

/** The undocumented behaviours, see the file header. */
export interface ModelVariants {
  /** (a) Default 'keep-previous'. */
  readonly failedUpdatePhysicalId?: 'keep-previous' | 'record-new';
  /** (b) Default 'deploying'. */
  readonly templateWhileUpdating?: 'deploying' | 'previous';
  /** (c) Default 1. */
  readonly cleanupDeleteAttempts?: number;
}

export interface StackModelOptions extends ModelVariants {
  readonly stackName: string;
  readonly provider: ResourceProvider;
  /** The first StackId; later ones (a stack created again after a delete) are new random ARNs. */
  readonly stackId?: string;
  readonly region?: string;
  readonly accountId?: string;
  /** Default Custom::ClaimedPhoneNumber. */
  readonly resourceType?: string;
  /** The ServiceToken a request carries. Default: a function ARN named after the stack. */
  readonly serviceToken?: (logicalId: string) => string;
  /** The ServiceToken as the template writes it (GetTemplate). Default: `serviceToken`. */
  readonly templateServiceToken?: (logicalId: string) => unknown;
  /** Template properties as a request carries them. Default: scalars as strings. */
  readonly asSent?: (properties: Properties) => Properties;
  /** Policies of a logical id when a deploy does not give them. Default: none (Delete). */
  readonly policies?: (logicalId: string) => ResourcePolicies;
  /** Where steps are recorded (shared with the StackSimulator). */
  readonly steps?: StepRecord[];
  /** How the time a stack takes to be deleted and created again passes for the services outside it. Default: none. */
  readonly recreation?: StackRecreation;
  /** Makes it a nested stack: the StackIds DescribeStacks reports as ParentId and RootId. */
  readonly nesting?: { readonly parentId: string; readonly rootId: string };
}

/**
 * A stack in ROLLBACK_COMPLETE can only be deleted; deploying it again (cdk deploy does both) deletes every
 * resource of the failed stack, the claimed numbers' provider included (its functions, roles, state machine),
 * and creates them again before any claimed number's Create runs. The model plays no time for those
 * resources; `elapse` lets the services outside the stack (the Connect emulator's clock) see it pass.
 */
export interface StackRecreation {
  readonly elapse: (ms: number) => void;
  /** Default RECREATION_MS. */
  readonly durationMs?: number;
}

/**
 * A conservative minimum for deleting and creating a stack with a Lambda-backed provider: IAM roles, Lambda
 * functions and a state machine are created one after another (the functions need the roles), each in
 * seconds to tens of seconds. It is longer than the time a new claim stays invisible in every emulator
 * variant (at most 15 s; CloudFormation's own AWS::Connect::PhoneNumber handler waits 2 s).
 */
export const RECREATION_MS = 30_000;

export interface DeployOptions {
  /** Another resource of the same deploy fails once this many of our operations have completed. */
  readonly failUnrelatedAfter?: number;
  /** Its logical id, for the failure record. Default 'UnrelatedResource'. */
  readonly unrelatedLogicalId?: string;
  /** How many of our operations run at once in each phase. Default 1. */
  readonly concurrency?: number;
  /** Policies by logical id for this deploy's template (default: the model's `policies`). */
  readonly policies?: { [logicalId: string]: ResourcePolicies };
  /** Options for the provider, per request (e.g. a short waiter interval). */
  readonly handleOptions?: (request: CfnRequest) => HandleOptions | undefined;
}

export interface DeleteStackOptions {
  /** Logical ids to keep; only for a stack in DELETE_FAILED, as the DeleteStack API allows. */
  readonly retainResources?: readonly string[];
  readonly concurrency?: number;
  readonly handleOptions?: DeployOptions['handleOptions'];
}

export interface ContinueUpdateRollbackOptions {
  /** Logical ids whose reverse Update failed, to mark rolled back without sending anything. */
  readonly resourcesToSkip?: readonly string[];
  readonly concurrency?: number;
  readonly handleOptions?: DeployOptions['handleOptions'];
}

/** Why an operation failed: the resource and the reason its answer (or the injected failure) gave. */
export interface OperationFailure {
  readonly logicalId: string;
  readonly reason: string;
}

/** The outcome of deployStack, deleteStack or continueUpdateRollback. */
export interface OperationResult {
  readonly stackId: string;
  readonly status: StackStatus;
  /** The statuses the stack went through during this operation, in order. */
  readonly statuses: StackStatus[];
  /** The requests sent during this operation, in order. */
  readonly steps: StepRecord[];
  /** The failure that made the deploy roll back. */
  readonly failure?: OperationFailure;
  /** A failed Delete or reverse Update that left the stack in a *_FAILED status. */
  readonly rollbackFailure?: OperationFailure;
  /** Cleanup Deletes that failed (the stack completed anyway). */
  readonly cleanupFailures: OperationFailure[];
}

/** The stack as the CloudFormation API shows it. */
export interface StackView {
  readonly stackId: string;
  readonly stackName: string;
  readonly status: StackStatus;
  /** The type of every resource of the stack. */
  readonly resourceType: string;
  readonly creationTime: Date;
  readonly lastUpdatedTime?: Date;
  /** What GetTemplate returns now (variant (b)). */
  readonly template: TemplateDocument;
  /** The resources of the stack, in the order they were added. */
  readonly resources: readonly ResourceRecord[];
  /** Its resource events, oldest first. */
  readonly events: readonly ResourceEvent[];
  /** For a nested stack: the stack that holds it, and the top-level stack. */
  readonly parentId?: string;
  readonly rootId?: string;
}

/** A reverse Update still to send, or a replaced resource to point back at its old physical id. */
export interface RollbackStep {
  readonly logicalId: string;
  readonly kind: 'reverse-update' | 'restore';
  readonly before: Readonly<ResourceRecord> & { physicalId: string };
  readonly newProperties: Properties;
}

/** A Delete the rollback's cleanup phase still has to send. */
export interface RollbackDelete {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly properties: Properties;
  /** The logical id itself was created by the update (its record goes away with it). */
  readonly createdByUpdate: boolean;
}

export interface PendingRollback {
  steps: RollbackStep[];
  readonly deletes: RollbackDelete[];
}

/** One stack of that name: a new one (new StackId) after the previous one was deleted. */
export interface StackGeneration {
  readonly stackId: string;
  status?: StackStatus;
  readonly creationTime: Date;
  lastUpdatedTime?: Date;
  /** The stack's template (during an update: the one being deployed). */
  template: Map<string, TemplateEntry>;
  /** During an update and its rollback: the template before it. */
  previousTemplate?: Map<string, TemplateEntry>;
  readonly records: Map<string, ResourceRecord>;
  pendingRollback?: PendingRollback;
  /** What DescribeStackEvents shows of the resources: each request's outcome, oldest first. */
  readonly events: ResourceEvent[];
}

/** One resource event: a request's outcome as CloudFormation records it (CREATE_COMPLETE, UPDATE_FAILED, ...). */
export interface ResourceEvent {
  readonly eventId: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly status: string;
  readonly reason?: string;
  readonly at: Date;
}

export class StackModel {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly resourceType: string;
  readonly steps: StepRecord[];
  /** Every status change of every stack of this name, oldest first. */
  readonly statusHistory: StatusChange[] = [];
  readonly variants: Required<ModelVariants>;
  private readonly generations: StackGeneration[] = [];

  constructor(private readonly options: StackModelOptions) {
    this.stackName = options.stackName;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.resourceType = options.resourceType ?? DEFAULT_RESOURCE_TYPE;
    this.steps = options.steps ?? [];
    this.variants = {
      failedUpdatePhysicalId: options.failedUpdatePhysicalId ?? 'keep-previous',
      templateWhileUpdating: options.templateWhileUpdating ?? 'deploying',
      cleanupDeleteAttempts: options.cleanupDeleteAttempts ?? 1,
    };
    if (!Number.isInteger(this.variants.cleanupDeleteAttempts) || this.variants.cleanupDeleteAttempts < 1) {
      throw new Error('cleanupDeleteAttempts must be a positive integer');
    }
    this.generations.push(this.newGeneration(options.stackId ?? this.newStackId()));
  }

  /** The StackId of the current stack of this name. */
  get stackId(): string {
    return this.current.stackId;
  }

  /** Its status; undefined before anything created it. */
  get status(): StackStatus | undefined {
    return this.current.status;
  }

  /** The current stack (internal to the model's operations). */
  get current(): StackGeneration {
    return this.generations[this.generations.length - 1];
  }

  /** Every StackId this name has had, oldest first. */
  stackIds(): string[] {
    return this.generations.map((generation) => generation.stackId);
  }

  /** The statuses of the current stack, oldest first. */
  statuses(): StackStatus[] {
    return this.statusHistory.filter((change) => change.stackId === this.stackId).map((change) => change.status);
  }

  resource(logicalId: string): ResourceRecord | undefined {
    return this.current.records.get(logicalId);
  }

  resources(): ResourceRecord[] {
    return [...this.current.records.values()];
  }

  /** What GetTemplate returns now. */
  template(): TemplateDocument {
    return this.renderTemplate(this.visibleTemplate(this.current));
  }

  /** The stack as the API shows it, by name (the current stack, unless deleted) or by StackId (any). */
  view(stackNameOrId: string): StackView | undefined {
    const generation = stackNameOrId.startsWith('arn:')
      ? this.generations.find((g) => g.stackId === stackNameOrId)
      : stackNameOrId === this.stackName && this.current.status !== 'DELETE_COMPLETE'
        ? this.current
        : undefined;
    if (!generation?.status) return undefined;
    return {
      stackId: generation.stackId,
      stackName: this.stackName,
      status: generation.status,
      resourceType: this.resourceType,
      creationTime: generation.creationTime,
      lastUpdatedTime: generation.lastUpdatedTime,
      template: this.renderTemplate(this.visibleTemplate(generation)),
      resources: [...generation.records.values()],
      events: [...generation.events],
      ...(this.options.nesting ? { parentId: this.options.nesting.parentId, rootId: this.options.nesting.rootId } : {}),
    };
  }

  async deployStack(desired: { [logicalId: string]: Properties }, options: DeployOptions = {}): Promise<OperationResult> {
    const template = new Map<string, TemplateEntry>(
      Object.entries(desired).map(([logicalId, properties]) => [
        logicalId,
        { properties: copyProperties(properties), policies: options.policies?.[logicalId] ?? this.policiesOf(logicalId) },
      ]),
    );
    const mark = this.mark();
    if (this.status === 'ROLLBACK_COMPLETE') {
      // Only a delete is possible; the user deletes the stack and deploys it again under the same name.
      await deleteStack(this, {});
      this.options.recreation?.elapse(this.options.recreation.durationMs ?? RECREATION_MS);
    }
    if (this.status === undefined || this.status === 'DELETE_COMPLETE') {
      if (this.status === 'DELETE_COMPLETE') this.generations.push(this.newGeneration(this.newStackId()));
      return this.result(mark, await createStack(this, template, options));
    }
    if (this.status === 'CREATE_COMPLETE' || this.status === 'UPDATE_COMPLETE' || this.status === 'UPDATE_ROLLBACK_COMPLETE') {
      return this.result(mark, await updateStack(this, template, options));
    }
    throw new Error(`Stack:${this.stackId} is in ${this.status} state and can not be updated.`);
  }

  async deleteStack(options: DeleteStackOptions = {}): Promise<OperationResult> {
    const mark = this.mark();
    return this.result(mark, await deleteStack(this, options));
  }

  async continueUpdateRollback(options: ContinueUpdateRollbackOptions = {}): Promise<OperationResult> {
    const mark = this.mark();
    return this.result(mark, await continueUpdateRollback(this, options));
  }

  // ---- Primitives shared by the operations and the StackSimulator's single-request methods ----

  /** Sets the current stack's status and records the change. */
  setStatus(status: StackStatus): void {
    const now = new Date();
    this.current.status = status;
    if (status !== 'CREATE_IN_PROGRESS' && status !== 'CREATE_COMPLETE') this.current.lastUpdatedTime = now;
    this.statusHistory.push({ stackId: this.stackId, status, at: now });
  }

  /** The policies a logical id gets when the deploy does not say. */
  policiesOf(logicalId: string): ResourcePolicies {
    return this.options.policies?.(logicalId) ?? {};
  }

  /** The request CloudFormation would send. `extra` is taken as is (already in the form a request carries). */
  request(type: CfnRequest['RequestType'], logicalId: string, properties: Properties, extra: Partial<CfnRequest> = {}): CfnRequest {
    const serviceToken = this.serviceToken(logicalId);
    return {
      RequestType: type,
      RequestId: randomUUID(),
      ResponseURL: `https://cloudformation-custom-resource-response-${this.region}.s3.amazonaws.com/${encodeURIComponent(this.stackId)}?${SECRET_RESPONSE_URL_MARKER}`,
      ResourceType: this.resourceType,
      LogicalResourceId: logicalId,
      StackId: this.stackId,
      ServiceToken: serviceToken,
      ResourceProperties: { ServiceToken: serviceToken, ...this.asSent(properties) },
      ...extra,
    };
  }

  /** An Update: OldResourceProperties carry the ServiceToken too, as CloudFormation's do. */
  updateRequest(logicalId: string, properties: Properties, oldProperties: Properties, physicalId: string): CfnRequest {
    const serviceToken = this.serviceToken(logicalId);
    return this.request('Update', logicalId, properties, {
      PhysicalResourceId: physicalId,
      OldResourceProperties: { ServiceToken: serviceToken, ...this.asSent(oldProperties) },
    });
  }

  /** Sends a request to the provider and records it with the stack status it was sent in. */
  async send(request: CfnRequest, options?: HandleOptions): Promise<CfnResponse> {
    const stackStatus = this.status;
    const started = Date.now();
    const generation = this.current;
    const response = await this.options.provider.handle(request, options);
    this.steps.push({ request, response, elapsedMs: Date.now() - started, stackStatus });
    generation.events.push({
      eventId: randomUUID(),
      logicalId: request.LogicalResourceId,
      physicalId: response.PhysicalResourceId ?? '',
      status: `${request.RequestType.toUpperCase()}_${response.Status === 'SUCCESS' ? 'COMPLETE' : 'FAILED'}`,
      reason: response.Status === 'SUCCESS' ? undefined : response.Reason,
      at: new Date(),
    });
    return response;
  }

  /** Adds (or replaces) a resource record of the current stack. */
  putRecord(record: Omit<ResourceRecord, 'lastUpdated'>): ResourceRecord {
    const full: ResourceRecord = { ...record, properties: copyProperties(record.properties), lastUpdated: new Date() };
    this.current.records.set(record.logicalId, full);
    return full;
  }

  /** Changes a record (status, physical id, properties, attributes) and stamps it. */
  updateRecord(record: ResourceRecord, change: Partial<Omit<ResourceRecord, 'logicalId' | 'lastUpdated'>>): void {
    Object.assign(record, change, change.properties ? { properties: copyProperties(change.properties) } : {});
    record.lastUpdated = new Date();
  }

  removeRecord(logicalId: string): void {
    this.current.records.delete(logicalId);
  }

  /** Sets (or removes, with undefined) one entry of the current template. */
  setTemplateEntry(logicalId: string, entry: TemplateEntry | undefined): void {
    if (entry) this.current.template.set(logicalId, { properties: copyProperties(entry.properties), policies: entry.policies });
    else this.current.template.delete(logicalId);
  }

  /** The id CloudFormation gives a resource whose failed Create carried none. */
  inventPhysicalId(logicalId: string): string {
    const suffix = randomUUID().replace(/-/g, '').slice(0, 13).toUpperCase();
    return `${this.stackName}-${logicalId}-${suffix}`;
  }

  private serviceToken(logicalId: string): string {
    return this.options.serviceToken?.(logicalId) ?? `arn:aws:lambda:${this.region}:${this.accountId}:function:${this.stackName}-Provider`;
  }

  private asSent(properties: Properties): Properties {
    return (this.options.asSent ?? asCloudFormationSends)(properties);
  }

  private newStackId(): string {
    return `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${this.stackName}/${randomUUID()}`;
  }

  private newGeneration(stackId: string): StackGeneration {
    return { stackId, creationTime: new Date(), template: new Map(), records: new Map(), events: [] };
  }

  private visibleTemplate(generation: StackGeneration): TemplateEntries {
    const previous = generation.previousTemplate;
    if (!previous) return generation.template;
    switch (generation.status) {
      case 'UPDATE_IN_PROGRESS':
      case 'UPDATE_ROLLBACK_IN_PROGRESS':
      case 'UPDATE_ROLLBACK_FAILED':
        return this.variants.templateWhileUpdating === 'previous' ? previous : generation.template;
      case 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS':
        return previous;
      default:
        return generation.template;
    }
  }

  private renderTemplate(entries: TemplateEntries): TemplateDocument {
    const resources: TemplateDocument['Resources'] = {};
    for (const [logicalId, entry] of entries) {
      const serviceToken = this.options.templateServiceToken?.(logicalId) ?? this.serviceToken(logicalId);
      resources[logicalId] = {
        Type: this.resourceType,
        Properties: { ServiceToken: serviceToken, ...copyProperties(entry.properties) },
        ...(entry.policies.deletionPolicy ? { DeletionPolicy: entry.policies.deletionPolicy } : {}),
        ...(entry.policies.updateReplacePolicy ? { UpdateReplacePolicy: entry.policies.updateReplacePolicy } : {}),
      };
    }
    return { Resources: resources };
  }

  private mark(): { steps: number; history: number } {
    return { steps: this.steps.length, history: this.statusHistory.length };
  }

  private result(
    mark: { steps: number; history: number },
    outcome: { failure?: OperationFailure; rollbackFailure?: OperationFailure; cleanupFailures?: OperationFailure[] },
  ): OperationResult {
    return {
      stackId: this.stackId,
      status: this.status!,
      statuses: this.statusHistory.slice(mark.history).map((change) => change.status),
      steps: this.steps.slice(mark.steps),
      failure: outcome.failure,
      rollbackFailure: outcome.rollbackFailure,
      cleanupFailures: outcome.cleanupFailures ?? [],
    };
  }
}
