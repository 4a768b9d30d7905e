/**
 * CloudFormation's side of a stack's claimed numbers: it builds requests with the real fields (StackId,
 * RequestId, LogicalResourceId, ResourceProperties with scalars as strings, OldResourceProperties,
 * PhysicalResourceId, a secret ResponseURL), sends them through the Provider framework, and keeps what
 * CloudFormation would remember of each resource (physical id, properties, attributes). It plays the
 * sequences of the custom-resource lifecycle: create, update in place, replacement and its cleanup
 * Delete, the reverse update of a rollback, delete, and deletion/replacement policies.
 */
import { randomUUID } from 'crypto';
import { ClaimedNumberResourceSpec, CloudAssembly, resolveIntrinsic } from './cloud-assembly';
import { LambdaRunner } from './lambda-runner';
import { CfnRequest, CfnResponse, HandleOptions, ProviderFramework } from './provider-framework';

export const SECRET_RESPONSE_URL_MARKER = 'X-Amz-Signature=harness-secret-signature';

type Properties = { [key: string]: unknown };

/** What CloudFormation knows about one resource. */
export interface ResourceState {
  readonly logicalId: string;
  physicalId: string;
  properties: Properties;
  data: { [key: string]: string };
}

/** One request and its answer, for logs, demos and assertions. */
export interface StepRecord {
  readonly request: CfnRequest;
  readonly response: CfnResponse;
  readonly elapsedMs: number;
}

export interface StackSimulatorOptions {
  readonly stackId?: string;
  readonly region?: string;
  readonly accountId?: string;
  /**
   * Values of other resources of the stack that properties refer to, by `LogicalId` (Ref) or
   * `LogicalId.Attribute` (Fn::GetAtt), as CloudFormation would resolve them (e.g. a CfnInstance's ARN).
   */
  readonly references?: { [refOrGetAtt: string]: string };
}

interface PendingCleanup {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly properties: Properties;
}

interface LastUpdate {
  readonly before: ResourceState;
  readonly after: ResourceState;
}

export class StackSimulator {
  readonly stackId: string;
  readonly steps: StepRecord[] = [];
  private readonly resources = new Map<string, ResourceState>();
  private readonly specs = new Map<string, ClaimedNumberResourceSpec>();
  private readonly pendingCleanup: PendingCleanup[] = [];
  private readonly lastUpdates = new Map<string, LastUpdate>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly references: { [refOrGetAtt: string]: string };

  constructor(
    assembly: CloudAssembly,
    readonly stackName: string,
    private readonly runner: LambdaRunner,
    options: StackSimulatorOptions = {},
  ) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.references = options.references ?? {};
    this.stackId = options.stackId ?? `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${stackName}/${randomUUID()}`;
    for (const spec of assembly.claimedNumbers(stackName)) {
      this.specs.set(spec.logicalId, spec);
    }
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
    return JSON.parse(JSON.stringify(this.spec(logicalId).properties));
  }

  state(logicalId: string): ResourceState | undefined {
    return this.resources.get(logicalId);
  }

  /**
   * Adds another resource served by the same provider as `templateLogicalId`, as a new logical id
   * (a construct moved in the tree, or a second number).
   */
  addResource(logicalId: string, templateLogicalId: string, properties?: Properties): void {
    const spec = this.spec(templateLogicalId);
    this.specs.set(logicalId, { ...spec, logicalId, properties: properties ?? spec.properties });
  }

  /** The request CloudFormation would send. */
  request(type: CfnRequest['RequestType'], logicalId: string, properties: Properties, extra: Partial<CfnRequest> = {}): CfnRequest {
    const spec = this.spec(logicalId);
    const serviceToken = `arn:aws:lambda:${this.region}:${this.accountId}:function:${this.stackName}-${spec.provider.frameworkLogicalId}`;
    return {
      RequestType: type,
      RequestId: randomUUID(),
      ResponseURL: `https://cloudformation-custom-resource-response-${this.region}.s3.amazonaws.com/${encodeURIComponent(this.stackId)}?${SECRET_RESPONSE_URL_MARKER}`,
      ResourceType: 'Custom::ClaimedPhoneNumber',
      LogicalResourceId: logicalId,
      StackId: this.stackId,
      ServiceToken: serviceToken,
      ResourceProperties: { ServiceToken: serviceToken, ...this.asSent(properties) },
      ...extra,
    };
  }

  /** Sends a request through the provider and records it; does not change what CloudFormation remembers. */
  async send(request: CfnRequest, options: HandleOptions = {}): Promise<CfnResponse> {
    const started = Date.now();
    const response = await new ProviderFramework(this.spec(request.LogicalResourceId).provider, this.runner).handle(request, options);
    this.steps.push({ request, response, elapsedMs: Date.now() - started });
    return response;
  }

  async create(logicalId: string, properties?: Properties, options: HandleOptions = {}): Promise<CfnResponse> {
    const props = properties ?? this.declaredProperties(logicalId);
    const response = await this.send(this.request('Create', logicalId, props), options);
    if (response.Status === 'SUCCESS') {
      this.resources.set(logicalId, { logicalId, physicalId: response.PhysicalResourceId, properties: props, data: response.Data ?? {} });
    }
    return response;
  }

  /** An update; a changed physical id is a replacement whose old id is deleted by `cleanup()`. */
  async update(logicalId: string, properties: Properties, options: HandleOptions = {}): Promise<CfnResponse> {
    const before = this.requireState(logicalId);
    const request = this.request('Update', logicalId, properties, {
      PhysicalResourceId: before.physicalId,
      OldResourceProperties: this.asSent(before.properties),
    });
    const response = await this.send(request, options);
    if (response.Status === 'SUCCESS') {
      const after = { logicalId, physicalId: response.PhysicalResourceId, properties, data: { ...before.data, ...response.Data } };
      this.resources.set(logicalId, after);
      this.lastUpdates.set(logicalId, { before: { ...before }, after });
      if (after.physicalId !== before.physicalId) {
        this.pendingCleanup.push({ logicalId, physicalId: before.physicalId, properties: before.properties });
      }
    }
    return response;
  }

  /** The cleanup phase after a successful stack update: Delete for each replaced physical id. */
  async cleanup(): Promise<CfnResponse[]> {
    const responses: CfnResponse[] = [];
    for (const old of this.pendingCleanup.splice(0)) {
      if (this.spec(old.logicalId).updateReplacePolicy === 'Retain') {
        continue;
      }
      responses.push(await this.send(this.request('Delete', old.logicalId, old.properties, { PhysicalResourceId: old.physicalId })));
    }
    this.lastUpdates.clear();
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
    let response: CfnResponse;
    if (last.after.physicalId !== last.before.physicalId) {
      const index = this.pendingCleanup.findIndex((p) => p.logicalId === logicalId && p.physicalId === last.before.physicalId);
      if (index >= 0) this.pendingCleanup.splice(index, 1);
      response = await this.send(this.request('Delete', logicalId, last.after.properties, { PhysicalResourceId: last.after.physicalId }));
    } else {
      response = await this.send(
        this.request('Update', logicalId, last.before.properties, {
          PhysicalResourceId: last.after.physicalId,
          OldResourceProperties: this.asSent(last.after.properties),
        }),
      );
    }
    this.resources.set(logicalId, last.before);
    return response;
  }

  /** Removing the resource or deleting the stack; nothing is sent when its DeletionPolicy is Retain. */
  async delete(logicalId: string, options: HandleOptions = {}): Promise<CfnResponse | 'RETAINED'> {
    const state = this.requireState(logicalId);
    this.resources.delete(logicalId);
    if (this.spec(logicalId).deletionPolicy === 'Retain') {
      return 'RETAINED';
    }
    return this.send(this.request('Delete', logicalId, state.properties, { PhysicalResourceId: state.physicalId }), options);
  }

  /** The Delete a failed Create gets during the stack's rollback, with the physical id that Create answered. */
  async rollbackCreate(logicalId: string, failedCreate: CfnResponse, properties?: Properties): Promise<CfnResponse> {
    const props = properties ?? this.declaredProperties(logicalId);
    return this.send(this.request('Delete', logicalId, props, { PhysicalResourceId: failedCreate.PhysicalResourceId }));
  }

  /** Properties as CloudFormation sends them: intrinsics resolved, scalars as strings. */
  private asSent(properties: Properties): Properties {
    const environment = { region: this.region, accountId: this.accountId, references: this.references, stackName: this.stackName };
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

  private requireState(logicalId: string): ResourceState {
    const state = this.resources.get(logicalId);
    if (!state) {
      throw new Error(`${logicalId} does not exist in the simulated stack (create it first).`);
    }
    return state;
  }
}

/** CloudFormation sends scalar property values as strings; maps and lists keep their shape. */
export function asCloudFormationSends(value: unknown): Properties {
  return stringifyScalars(value) as Properties;
}

function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, stringifyScalars(inner)]));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}
