/**
 * CloudFormation's side of a stack's claimed numbers, played through the Provider framework with the real
 * user functions of a cloud assembly. Two levels:
 * - whole deploys: deployStack / deleteStack / continueUpdateRollback play every request of a stack
 *   operation in CloudFormation's phases, with failures and rollbacks (the model and its documented
 *   behaviours and variants are in cfn/stack-model.ts);
 * - single requests: create, update (a changed physical id is a replacement whose old id cleanup() deletes),
 *   rollbackUpdate, delete, rollbackCreate and send, for tests that drive one step at a time. They share
 *   the model's records (so the CloudFormation API stand-in shows them) and set a plausible stack status
 *   around each request (pass `stackStatus` to choose it), but never change the StackId.
 * Requests carry the real fields (StackId, RequestId, LogicalResourceId, ResourceProperties with scalars as
 * strings, OldResourceProperties, PhysicalResourceId, a secret ResponseURL). Attributes (Data) are replaced
 * by each successful answer, never merged.
 */
import { ClaimedNumberResourceSpec, CloudAssembly, resolveIntrinsic } from './cloud-assembly';
import {
  asCloudFormationSends,
  ContinueUpdateRollbackOptions,
  copyProperties,
  DeleteStackOptions,
  DeployOptions,
  ModelVariants,
  OperationResult,
  Properties,
  ResourceProvider,
  ResourcePolicies,
  ResourceRecord,
  StackModel,
  StackRecreation,
  StackStatus,
  StatusChange,
  StepRecord,
  TemplateDocument,
} from './cfn';
import { LambdaRunner } from './lambda-runner';
import { CfnRequest, CfnResponse, HandleOptions, ProviderFramework } from './provider-framework';

export * from './cfn';

/** What CloudFormation knows about one resource. */
export interface ResourceState {
  readonly logicalId: string;
  physicalId: string;
  properties: Properties;
  data: { [key: string]: string };
}

export interface StackSimulatorOptions extends ModelVariants {
  readonly stackId?: string;
  readonly region?: string;
  readonly accountId?: string;
  /**
   * Values of other resources of the stack that properties refer to, by `LogicalId` (Ref) or
   * `LogicalId.Attribute` (Fn::GetAtt), as CloudFormation would resolve them (e.g. a CfnInstance's ARN).
   */
  readonly references?: { [refOrGetAtt: string]: string };
  /**
   * What answers the requests instead of the process-based Provider framework (ProviderFramework), e.g. the
   * framework code run in process and in virtual time (InProcessProvider).
   */
  readonly provider?: ResourceProvider;
  /** How the time of deleting and creating the stack again passes outside it (harness/cfn/stack-model.ts). */
  readonly recreation?: StackRecreation;
  /**
   * The name CloudFormation gives the stack, when it is not the assembly's: a nested stack's template is
   * `stackName` in the assembly, and CloudFormation names the stack `<parent>-<logical id>-<suffix>`.
   */
  readonly deployedName?: string;
  /** Makes it a nested stack of these stacks (DescribeStacks ParentId and RootId). */
  readonly nesting?: { readonly parentId: string; readonly rootId: string };
}

/** Provider options, plus the stack status to show while the request is sent (default: the method's phase). */
export type SendOptions = HandleOptions & { readonly stackStatus?: StackStatus };

interface PendingCleanup {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly properties: Properties;
}

interface Snapshot {
  readonly physicalId: string;
  readonly properties: Properties;
  readonly data: { [key: string]: string };
}

interface LastUpdate {
  readonly before: Snapshot;
  readonly after: Snapshot;
}

export class StackSimulator {
  /** Every request sent and its answer, with the stack status it was sent in. */
  readonly steps: StepRecord[] = [];
  /** The deploy-level model; pass it to the CloudFormation API stand-in. */
  readonly model: StackModel;
  private readonly specs = new Map<string, ClaimedNumberResourceSpec>();
  private readonly pendingCleanup: PendingCleanup[] = [];
  private readonly lastUpdates = new Map<string, LastUpdate>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly references: { [refOrGetAtt: string]: string };

  constructor(
    assembly: CloudAssembly,
    readonly stackName: string,
    runner: LambdaRunner,
    options: StackSimulatorOptions = {},
  ) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.references = options.references ?? {};
    for (const spec of assembly.claimedNumbers(stackName)) {
      this.specs.set(spec.logicalId, spec);
    }
    const deployedName = options.deployedName ?? stackName;
    this.model = new StackModel({
      stackName: deployedName,
      nesting: options.nesting,
      stackId: options.stackId,
      region: this.region,
      accountId: this.accountId,
      provider: options.provider ?? {
        handle: (request, handleOptions) => new ProviderFramework(this.spec(request.LogicalResourceId).provider, runner).handle(request, handleOptions),
      },
      serviceToken: (logicalId) => `arn:aws:lambda:${this.region}:${this.accountId}:function:${deployedName}-${this.spec(logicalId).provider.frameworkLogicalId}`,
      templateServiceToken: (logicalId) => ({ 'Fn::GetAtt': [this.spec(logicalId).provider.frameworkLogicalId, 'Arn'] }),
      asSent: (properties) => this.asSent(properties),
      policies: (logicalId) => this.policiesOf(logicalId),
      steps: this.steps,
      failedUpdatePhysicalId: options.failedUpdatePhysicalId,
      templateWhileUpdating: options.templateWhileUpdating,
      cleanupDeleteAttempts: options.cleanupDeleteAttempts,
      recreation: options.recreation,
    });
  }

  /** The current StackId (a new one after the stack was deleted and deployed again by deployStack). */
  get stackId(): string {
    return this.model.stackId;
  }

  /** The stack status; undefined before anything created the stack. */
  get status(): StackStatus | undefined {
    return this.model.status;
  }

  /** Every status change, oldest first. */
  get statusHistory(): readonly StatusChange[] {
    return this.model.statusHistory;
  }

  logicalIds(): string[] {
    return [...this.specs.keys()];
  }

  spec(logicalId: string): ClaimedNumberResourceSpec {
    const spec = this.specs.get(logicalId);
    if (!spec) {
      throw new Error(`No Custom::ClaimedPhoneNumber ${logicalId} in ${this.stackName}; it has ${this.logicalIds().join(', ')}.`);
    }
    return spec;
  }

  /** A copy of the resource's declared properties, to edit for an update. */
  declaredProperties(logicalId: string): Properties {
    return copyProperties(this.spec(logicalId).properties);
  }

  /** Every resource known to the simulator (the assembly's and added ones) with its declared properties. */
  declaredTemplate(): { [logicalId: string]: Properties } {
    return Object.fromEntries(this.logicalIds().map((logicalId) => [logicalId, this.declaredProperties(logicalId)]));
  }

  /** What CloudFormation knows about a resource that has a physical id. */
  state(logicalId: string): ResourceState | undefined {
    const record = this.model.resource(logicalId);
    return record?.physicalId === undefined ? undefined : (record as ResourceRecord & ResourceState);
  }

  /** What GetTemplate would return now. */
  template(): TemplateDocument {
    return this.model.template();
  }

  /**
   * Adds another resource served by the same provider as `templateLogicalId`, as a new logical id
   * (a construct moved in the tree, or a second number).
   */
  addResource(logicalId: string, templateLogicalId: string, properties?: Properties): void {
    const spec = this.spec(templateLogicalId);
    this.specs.set(logicalId, { ...spec, logicalId, properties: properties ?? spec.properties });
  }

  // ---- Whole stack operations ----

  /** Creates or updates the stack to `desired` (default: every declared resource); see cfn/stack-model.ts. */
  deployStack(desired: { [logicalId: string]: Properties } = this.declaredTemplate(), options: DeployOptions = {}): Promise<OperationResult> {
    Object.keys(desired).forEach((logicalId) => this.spec(logicalId));
    return this.model.deployStack(desired, options);
  }

  deleteStack(options: DeleteStackOptions = {}): Promise<OperationResult> {
    return this.model.deleteStack(options);
  }

  continueUpdateRollback(options: ContinueUpdateRollbackOptions = {}): Promise<OperationResult> {
    return this.model.continueUpdateRollback(options);
  }

  // ---- Single requests ----

  /** The request CloudFormation would send; `extra` is taken as is. */
  request(type: CfnRequest['RequestType'], logicalId: string, properties: Properties, extra: Partial<CfnRequest> = {}): CfnRequest {
    this.spec(logicalId);
    return this.model.request(type, logicalId, properties, extra);
  }

  /** Sends a request through the provider and records it; changes neither records nor status (unless `stackStatus`). */
  async send(request: CfnRequest, options: SendOptions = {}): Promise<CfnResponse> {
    const { stackStatus, ...handleOptions } = options;
    if (stackStatus) this.model.setStatus(stackStatus);
    return this.model.send(request, handleOptions);
  }

  async create(logicalId: string, properties?: Properties, options: SendOptions = {}): Promise<CfnResponse> {
    const props = properties ?? this.declaredProperties(logicalId);
    const stackExists = this.status !== undefined && this.status !== 'DELETE_COMPLETE';
    const policies = this.policiesOf(logicalId);
    this.model.setTemplateEntry(logicalId, { properties: props, policies });
    const record = this.model.putRecord({ logicalId, properties: props, data: {}, status: 'CREATE_IN_PROGRESS', policies });
    const response = await this.during(stackExists ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS', options, (handleOptions) =>
      this.model.send(this.request('Create', logicalId, props), handleOptions),
    );
    if (response.Status === 'SUCCESS') {
      this.model.updateRecord(record, { physicalId: response.PhysicalResourceId, data: { ...(response.Data ?? {}) }, status: 'CREATE_COMPLETE' });
      this.after(options, stackExists ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE');
    } else {
      this.model.updateRecord(record, { physicalId: response.PhysicalResourceId || this.model.inventPhysicalId(logicalId), status: 'CREATE_FAILED' });
    }
    return response;
  }

  /** An update; a changed physical id is a replacement whose old id is deleted by `cleanup()`. */
  async update(logicalId: string, properties: Properties, options: SendOptions = {}): Promise<CfnResponse> {
    const record = this.requireRecord(logicalId);
    const before = snapshot(record);
    this.model.updateRecord(record, { status: 'UPDATE_IN_PROGRESS' });
    const response = await this.during('UPDATE_IN_PROGRESS', options, (handleOptions) =>
      this.model.send(this.model.updateRequest(logicalId, properties, before.properties, before.physicalId), handleOptions),
    );
    if (response.Status !== 'SUCCESS') {
      this.model.updateRecord(record, { status: 'UPDATE_FAILED' });
      return response;
    }
    this.model.updateRecord(record, { physicalId: response.PhysicalResourceId, properties, data: { ...(response.Data ?? {}) }, status: 'UPDATE_COMPLETE' });
    this.model.setTemplateEntry(logicalId, { properties, policies: record.policies });
    this.lastUpdates.set(logicalId, { before, after: snapshot(record) });
    if (response.PhysicalResourceId !== before.physicalId) {
      this.pendingCleanup.push({ logicalId, physicalId: before.physicalId, properties: before.properties });
    }
    this.after(options, 'UPDATE_COMPLETE');
    return response;
  }

  /** The cleanup phase after a successful stack update: Delete for each replaced physical id. */
  async cleanup(): Promise<CfnResponse[]> {
    const responses: CfnResponse[] = [];
    this.model.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    for (const old of this.pendingCleanup.splice(0)) {
      if (this.spec(old.logicalId).updateReplacePolicy === 'Retain') {
        continue;
      }
      responses.push(await this.model.send(this.request('Delete', old.logicalId, old.properties, { PhysicalResourceId: old.physicalId })));
    }
    this.lastUpdates.clear();
    this.model.setStatus('UPDATE_COMPLETE');
    return responses;
  }

  /**
   * The stack update failed later and rolls back this resource's last update: a replaced resource gets a
   * Delete of its new physical id (the old one is kept); an in-place update gets the reverse Update.
   */
  async rollbackUpdate(logicalId: string): Promise<CfnResponse> {
    const last = this.lastUpdates.get(logicalId);
    if (!last) {
      throw new Error(`${logicalId} has no update to roll back.`);
    }
    this.lastUpdates.delete(logicalId);
    const record = this.requireRecord(logicalId);
    let response: CfnResponse;
    if (last.after.physicalId !== last.before.physicalId) {
      const index = this.pendingCleanup.findIndex((p) => p.logicalId === logicalId && p.physicalId === last.before.physicalId);
      if (index >= 0) this.pendingCleanup.splice(index, 1);
      this.model.setStatus('UPDATE_ROLLBACK_IN_PROGRESS');
      this.model.updateRecord(record, { ...last.before, status: 'UPDATE_COMPLETE' });
      this.model.setStatus('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
      response = await this.model.send(this.request('Delete', logicalId, last.after.properties, { PhysicalResourceId: last.after.physicalId }));
    } else {
      this.model.setStatus('UPDATE_ROLLBACK_IN_PROGRESS');
      response = await this.model.send(this.model.updateRequest(logicalId, last.before.properties, last.after.properties, last.after.physicalId));
      const data = response.Status === 'SUCCESS' ? { ...(response.Data ?? {}) } : last.before.data;
      this.model.updateRecord(record, { ...last.before, data, status: response.Status === 'SUCCESS' ? 'UPDATE_COMPLETE' : 'UPDATE_FAILED' });
    }
    this.model.setTemplateEntry(logicalId, { properties: last.before.properties, policies: record.policies });
    this.model.setStatus('UPDATE_ROLLBACK_COMPLETE');
    return response;
  }

  /**
   * Removing the resource (cleanup phase, when other resources remain) or deleting the stack (when it was the
   * last one); nothing is sent when its DeletionPolicy is Retain.
   */
  async delete(logicalId: string, options: SendOptions = {}): Promise<CfnResponse | 'RETAINED'> {
    const record = this.requireRecord(logicalId);
    const physicalId = record.physicalId!;
    const removal = this.model.resources().some((other) => other.logicalId !== logicalId && other.physicalId !== undefined);
    this.model.removeRecord(logicalId);
    this.model.setTemplateEntry(logicalId, undefined);
    const response =
      this.spec(logicalId).deletionPolicy === 'Retain'
        ? 'RETAINED'
        : await this.during(removal ? 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' : 'DELETE_IN_PROGRESS', options, (handleOptions) =>
            this.model.send(this.request('Delete', logicalId, record.properties, { PhysicalResourceId: physicalId }), handleOptions),
          );
    const deleteFailed = response !== 'RETAINED' && response.Status !== 'SUCCESS';
    this.after(options, removal ? 'UPDATE_COMPLETE' : deleteFailed ? 'DELETE_FAILED' : 'DELETE_COMPLETE');
    return response;
  }

  /** The Delete a failed Create gets during the stack's rollback, with the physical id that Create answered. */
  async rollbackCreate(logicalId: string, failedCreate: CfnResponse, properties?: Properties): Promise<CfnResponse> {
    const props = properties ?? this.declaredProperties(logicalId);
    const creating = this.status === 'CREATE_IN_PROGRESS' || this.status === 'ROLLBACK_IN_PROGRESS';
    this.model.setStatus(creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    const response = await this.model.send(this.request('Delete', logicalId, props, { PhysicalResourceId: failedCreate.PhysicalResourceId }));
    if (this.model.resource(logicalId)?.physicalId === failedCreate.PhysicalResourceId) this.model.removeRecord(logicalId);
    this.model.setStatus(creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE');
    return response;
  }

  /** Sets the phase's status (or the caller's) for one request, and runs it with the provider options. */
  private during<T>(phase: StackStatus, options: SendOptions, work: (handleOptions: HandleOptions) => Promise<T>): Promise<T> {
    const { stackStatus, ...handleOptions } = options;
    this.model.setStatus(stackStatus ?? phase);
    return work(handleOptions);
  }

  /** The status after a single request, unless the caller chose the status. */
  private after(options: SendOptions, status: StackStatus): void {
    if (!options.stackStatus) this.model.setStatus(status);
  }

  private policiesOf(logicalId: string): ResourcePolicies {
    const spec = this.specs.get(logicalId);
    return { deletionPolicy: spec?.deletionPolicy, updateReplacePolicy: spec?.updateReplacePolicy };
  }

  /** Properties as CloudFormation sends them: intrinsics resolved, scalars as strings. */
  private asSent(properties: Properties): Properties {
    const environment = { region: this.region, accountId: this.accountId, references: this.references, stackName: this.model.stackName };
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value !== null && typeof value === 'object') {
        const keys = Object.keys(value);
        if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return resolveIntrinsic(value, environment);
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
      }
      return value;
    };
    return asCloudFormationSends(resolve(properties));
  }

  private requireRecord(logicalId: string): ResourceRecord & { physicalId: string } {
    const record = this.model.resource(logicalId);
    if (record?.physicalId === undefined) {
      throw new Error(`${logicalId} does not exist in the simulated stack (create it first).`);
    }
    return record as ResourceRecord & { physicalId: string };
  }
}

function snapshot(record: ResourceRecord & { physicalId: string }): Snapshot {
  return { physicalId: record.physicalId, properties: copyProperties(record.properties), data: { ...record.data } };
}
