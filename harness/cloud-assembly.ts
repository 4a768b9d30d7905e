/**
 * Reads a synthesized cloud assembly (cdk.out) the way CloudFormation and the Provider framework would
 * use it: every Custom::ClaimedPhoneNumber, the framework function its ServiceToken points at, the user
 * functions that framework calls (their asset directory, handler name, timeout and environment), the
 * framework's own isComplete and onTimeout functions, and the waiter state machine's definition. Nothing is
 * assumed from the library's source: a test built on this runs exactly the code a deployment would upload,
 * the aws-cdk-lib Provider framework's included.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RESOURCE_TYPE } from '../lib/shared/contract';

type CfnValue = unknown;
interface CfnResource {
  Type: string;
  Properties?: { [key: string]: CfnValue };
  Metadata?: { [key: string]: CfnValue };
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface Template {
  Resources: { [logicalId: string]: CfnResource };
}

/** A Lambda function as CloudFormation would create it. */
export interface LambdaFunctionSpec {
  readonly logicalId: string;
  /** Absolute path of the unpacked code asset. */
  readonly codeDirectory: string;
  /** `file.export`, e.g. `index.onEvent`. */
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  /** The literal environment variables. */
  readonly environment: { [name: string]: string };
  /**
   * Environment variables whose value is the ARN of another resource of the stack (`Fn::GetAtt X.Arn` or
   * `Ref X`), by variable name: the logical id X. Whoever runs the function sets them to that ARN.
   */
  readonly environmentReferences?: { [name: string]: string };
  /**
   * True for the Provider framework's own functions (framework.onEvent / isComplete / onTimeout): a
   * runner's timeout override for the user functions does not apply to them.
   */
  readonly providerFramework?: boolean;
}

/** The waiter's schedule: first isComplete call at once, then every intervalSeconds (times backoffRate). */
export interface WaiterSpec {
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

/** The Provider framework's own functions, from the synthesized framework asset (framework.js). */
export interface FrameworkFunctionsSpec {
  /** `framework.onEvent`: the function CloudFormation invokes (the ServiceToken). */
  readonly onEvent: LambdaFunctionSpec;
  /** `framework.isComplete`: the waiter's first task. */
  readonly isComplete?: LambdaFunctionSpec;
  /** `framework.onTimeout`: the task the waiter catches into when isComplete's retries run out. */
  readonly onTimeout?: LambdaFunctionSpec;
}

/** A Task state of the waiter (Amazon States Language); Resource is the logical id of the function it invokes. */
export interface TaskStateDefinition {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Retry?: readonly RetrierDefinition[];
  readonly Catch?: readonly CatcherDefinition[];
  readonly [field: string]: unknown;
}

export interface RetrierDefinition {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface CatcherDefinition {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

/** A state machine definition with every function ARN replaced by the function's logical id. */
export interface StateMachineDefinition {
  readonly StartAt: string;
  readonly States: { readonly [name: string]: TaskStateDefinition | { readonly Type: string; readonly [field: string]: unknown } };
}

export interface StateMachineSpec {
  readonly logicalId: string;
  readonly definition: StateMachineDefinition;
}

export interface ProviderSpec {
  readonly frameworkLogicalId: string;
  /** The user's onEvent function (USER_ON_EVENT_FUNCTION_ARN of the framework). */
  readonly onEvent: LambdaFunctionSpec;
  /** The user's isComplete function (USER_IS_COMPLETE_FUNCTION_ARN of the framework). */
  readonly isComplete?: LambdaFunctionSpec;
  readonly waiter?: WaiterSpec;
  /** The framework's own functions, as synthesized. */
  readonly framework: FrameworkFunctionsSpec;
  /** The waiter state machine (WAITER_STATE_MACHINE_ARN of the framework), with an isComplete handler. */
  readonly waiterStateMachine?: StateMachineSpec;
}

export interface ClaimedNumberResourceSpec {
  readonly stackName: string;
  readonly logicalId: string;
  /** Properties as the template declares them (intrinsics other than the ServiceToken are kept as is). */
  readonly properties: { [key: string]: CfnValue };
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  readonly provider: ProviderSpec;
}

/** One IAM statement with every intrinsic resolved (see `CloudAssembly.handlerRoleStatements`). */
export interface ResolvedPolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string[];
}

export interface PolicyEnvironment {
  /** Value of AWS::Region. Default 'us-east-1'. */
  readonly region?: string;
  /** Value of AWS::AccountId. Default '123456789012'. */
  readonly accountId?: string;
  /** Value of AWS::Partition. Default 'aws'. */
  readonly partition?: string;
  /**
   * Values of references to other resources of the stack, by `LogicalId` (Ref) or `LogicalId.Attribute`
   * (Fn::GetAtt), e.g. a Connect instance created in the same stack. Anything not given here resolves to
   * a placeholder (`<unresolved:...>`) that matches no real ARN.
   */
  readonly references?: { [refOrGetAtt: string]: string };
}

export class CloudAssembly {
  static load(directory: string): CloudAssembly {
    return new CloudAssembly(path.resolve(directory));
  }

  private readonly manifest: { artifacts: { [id: string]: { type: string; properties?: { templateFile?: string }; displayName?: string } } };

  private constructor(readonly directory: string) {
    this.manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8'));
  }

  /** Names of the nested stacks' templates in the assembly (for template() and claimedNumbers()). */
  nestedStackNames(): string[] {
    return fs
      .readdirSync(this.directory)
      .filter((file) => file.endsWith('.nested.template.json'))
      .map((file) => file.slice(0, -'.nested.template.json'.length));
  }

  /** Names of the stacks in the assembly. */
  stackNames(): string[] {
    return Object.entries(this.manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([id]) => id);
  }

  /**
   * A stack's template by its artifact id, or a nested stack's by its template file name less
   * `.nested.template.json` (nested stacks are assets of their parent, not artifacts).
   */
  template(stackName: string): Template {
    const artifact = this.manifest.artifacts[stackName];
    const nestedFile = path.join(this.directory, `${stackName}.nested.template.json`);
    if (!artifact && fs.existsSync(nestedFile)) {
      return JSON.parse(fs.readFileSync(nestedFile, 'utf8'));
    }
    if (!artifact?.properties?.templateFile) {
      throw new Error(`Stack ${stackName} is not in ${this.directory}; it has ${this.stackNames().join(', ')}.`);
    }
    return JSON.parse(fs.readFileSync(path.join(this.directory, artifact.properties.templateFile), 'utf8'));
  }

  /** Every Custom::ClaimedPhoneNumber of a stack, with the provider that serves it. */
  claimedNumbers(stackName: string): ClaimedNumberResourceSpec[] {
    const template = this.template(stackName);
    return Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === RESOURCE_TYPE)
      .map(([logicalId, resource]) => {
        const { ServiceToken, ...properties } = resource.Properties ?? {};
        return {
          stackName,
          logicalId,
          properties,
          deletionPolicy: resource.DeletionPolicy,
          updateReplacePolicy: resource.UpdateReplacePolicy,
          provider: this.provider(template, getAttTarget(ServiceToken, 'ServiceToken')),
        };
      });
  }

  /**
   * The IAM statements of the role the claimed-number handler functions (onEvent and isComplete) run as:
   * every AWS::IAM::Policy and AWS::IAM::ManagedPolicy attached to it through `Roles` and the role's own
   * inline `Policies`, with pseudo parameters resolved for `environment` (other references per
   * `environment.references`, else placeholders that match nothing). Managed policies given by ARN
   * (ManagedPolicyArns) cannot be read from the template and make this throw, rather than silently grant less.
   */
  handlerRoleStatements(stackName: string, environment: PolicyEnvironment = {}): ResolvedPolicyStatement[] {
    const template = this.template(stackName);
    const roles = this.handlerRoles(stackName, template);
    const resolve = (value: CfnValue): string => resolveIntrinsic(value, { stackName, ...environment });
    const documents: CfnValue[] = [];
    for (const roleId of roles) {
      const role = template.Resources[roleId]?.Properties ?? {};
      if (Array.isArray(role.ManagedPolicyArns) && role.ManagedPolicyArns.length > 0) {
        throw new Error(`Role ${roleId} has managed policies by ARN (${JSON.stringify(role.ManagedPolicyArns)}), which the harness cannot read.`);
      }
      for (const inline of (role.Policies as { PolicyDocument: CfnValue }[] | undefined) ?? []) documents.push(inline.PolicyDocument);
    }
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
      const attached = ((resource.Properties?.Roles as CfnValue[] | undefined) ?? []).some((r) => roles.includes((r as { Ref?: string }).Ref ?? ''));
      if (attached) documents.push(resource.Properties?.PolicyDocument);
    }
    const list = (v: CfnValue): CfnValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    return documents.flatMap((document) =>
      list((document as { Statement?: CfnValue }).Statement).map((raw) => {
        const statement = raw as { [key: string]: CfnValue };
        const unsupported = ['Condition', 'NotAction', 'NotResource'].filter((key) => key in statement);
        if (unsupported.length > 0) {
          throw new Error(`A statement of the handler role uses ${unsupported.join(', ')}, which the emulator cannot evaluate: ${JSON.stringify(statement)}`);
        }
        return {
          ...(typeof statement.Sid === 'string' ? { Sid: statement.Sid } : {}),
          Effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
          Action: list(statement.Action).map(resolve),
          Resource: list(statement.Resource).map(resolve),
        };
      }),
    );
  }

  /** Logical ids of the roles the user functions of the stack's claimed-number providers run as. */
  private handlerRoles(stackName: string, template: Template): string[] {
    const roles = new Set<string>();
    for (const resource of this.claimedNumbers(stackName)) {
      for (const fn of [resource.provider.onEvent, resource.provider.isComplete]) {
        if (!fn) continue;
        const role = template.Resources[fn.logicalId]?.Properties?.Role;
        roles.add(getAttTarget(role, `Role of ${fn.logicalId}`));
      }
    }
    if (roles.size === 0) {
      // No claimed number yet: the provider's role by its construct path.
      for (const [logicalId, resource] of Object.entries(template.Resources)) {
        if (resource.Type === 'AWS::IAM::Role' && resource.Metadata?.['aws:cdk:path'] === `${stackName}/ClaimedPhoneNumberProvider/Role/Resource`) {
          roles.add(logicalId);
        }
      }
    }
    if (roles.size === 0) throw new Error(`Stack ${stackName} has no ClaimedPhoneNumber handler role.`);
    return [...roles];
  }

  private provider(template: Template, frameworkLogicalId: string): ProviderSpec {
    const framework = this.lambdaFunction(template, frameworkLogicalId);
    const references = framework.spec.environmentReferences ?? {};
    const userFunction = (variable: string) => {
      const logicalId = references[variable];
      return logicalId === undefined ? undefined : this.lambdaFunction(template, logicalId).spec;
    };
    const onEvent = userFunction('USER_ON_EVENT_FUNCTION_ARN');
    if (!onEvent) {
      throw new Error(`${frameworkLogicalId} is not a custom-resources Provider framework function (no USER_ON_EVENT_FUNCTION_ARN).`);
    }
    const isComplete = userFunction('USER_IS_COMPLETE_FUNCTION_ARN');
    const stateMachineId = references.WAITER_STATE_MACHINE_ARN;
    const stateMachine = stateMachineId === undefined ? undefined : stateMachineOf(template, stateMachineId);
    // The framework's isComplete and onTimeout functions are the waiter's tasks, told apart by their handler.
    const taskFunctions = stateMachine ? taskResources(stateMachine.definition).map((id) => this.lambdaFunction(template, id).spec) : [];
    const frameworkFunction = (handler: string) => {
      const found = taskFunctions.find((fn) => fn.handler === handler);
      return found && { ...found, providerFramework: true };
    };
    return {
      frameworkLogicalId,
      onEvent,
      isComplete,
      waiter: stateMachineId ? waiterOf(template.Resources[stateMachineId]) : undefined,
      framework: {
        onEvent: { ...framework.spec, providerFramework: true },
        isComplete: frameworkFunction('framework.isComplete'),
        onTimeout: frameworkFunction('framework.onTimeout'),
      },
      waiterStateMachine: stateMachine,
    };
  }

  private lambdaFunction(template: Template, logicalId: string): { spec: LambdaFunctionSpec } {
    const resource = template.Resources[logicalId];
    if (resource?.Type !== 'AWS::Lambda::Function') {
      throw new Error(`${logicalId} is not an AWS::Lambda::Function in the template.`);
    }
    const props = resource.Properties ?? {};
    const assetPath = resource.Metadata?.['aws:asset:path'];
    const rawEnvironment = (props.Environment as { Variables?: { [name: string]: CfnValue } } | undefined)?.Variables ?? {};
    const environment: { [name: string]: string } = {};
    const environmentReferences: { [name: string]: string } = {};
    for (const [name, value] of Object.entries(rawEnvironment)) {
      if (typeof value === 'string') {
        environment[name] = value;
        continue;
      }
      const target = referenceTarget(value);
      if (target !== undefined) environmentReferences[name] = target;
    }
    return {
      spec: {
        logicalId,
        codeDirectory: typeof assetPath === 'string' ? path.join(this.directory, assetPath) : '',
        handler: String(props.Handler),
        runtime: String(props.Runtime),
        timeoutSeconds: Number(props.Timeout ?? 3),
        environment,
        ...(Object.keys(environmentReferences).length > 0 ? { environmentReferences } : {}),
      },
    };
  }
}

/** The logical id a `Fn::GetAtt [X, Arn]` or `Ref X` points at; undefined for anything else. */
function referenceTarget(value: CfnValue): string | undefined {
  const o = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown } | undefined;
  if (typeof o?.Ref === 'string') return o.Ref;
  const getAtt = o?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

function getAttTarget(value: CfnValue, what: string): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  if (!getAtt) {
    throw new Error(`${what} is not an Fn::GetAtt of a function ARN: ${JSON.stringify(value)}`);
  }
  return getAtt[0];
}

/** The Retry block of the waiter state machine's isComplete task. */
function waiterOf(stateMachine: CfnResource | undefined): WaiterSpec {
  const definition = JSON.parse(resolveJoin(stateMachine?.Properties?.DefinitionString)) as StateMachineDefinition;
  const retry = Object.values(definition.States).map((state) => (state as TaskStateDefinition).Retry?.[0]).find((r) => r !== undefined);
  if (!retry || retry.IntervalSeconds === undefined || retry.MaxAttempts === undefined || retry.BackoffRate === undefined) {
    throw new Error('The waiter state machine has no Retry block to read its schedule from.');
  }
  return { intervalSeconds: retry.IntervalSeconds, maxAttempts: retry.MaxAttempts, backoffRate: retry.BackoffRate };
}

/** The waiter state machine as the template defines it, function ARNs replaced by logical ids. */
function stateMachineOf(template: Template, logicalId: string): StateMachineSpec {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::StepFunctions::StateMachine') {
    throw new Error(`${logicalId} is not an AWS::StepFunctions::StateMachine in the template.`);
  }
  const definition = JSON.parse(resolveJoin(resource.Properties?.DefinitionString)) as StateMachineDefinition;
  if (!definition.StartAt || !definition.States?.[definition.StartAt]) {
    throw new Error(`The definition of ${logicalId} has no StartAt state.`);
  }
  return { logicalId, definition };
}

/** The logical ids of the functions the Task states of a definition invoke. */
function taskResources(definition: StateMachineDefinition): string[] {
  return Object.values(definition.States)
    .filter((state): state is TaskStateDefinition => state.Type === 'Task')
    .map((state) => state.Resource);
}

/**
 * Flattens an Fn::Join of a state machine definition, replacing each reference part (`Fn::GetAtt [X, Arn]`
 * or `Ref X`, a function ARN inside a JSON string) by the logical id X.
 */
function resolveJoin(value: CfnValue): string {
  if (typeof value === 'string') {
    return value;
  }
  const join = (value as { 'Fn::Join'?: [string, CfnValue[]] } | undefined)?.['Fn::Join'];
  if (!join) {
    throw new Error(`Cannot read the waiter definition: ${JSON.stringify(value)}`);
  }
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const target = referenceTarget(part);
      if (target === undefined) throw new Error(`Cannot read the waiter definition part ${JSON.stringify(part)}`);
      return target;
    })
    .join(join[0]);
}

const PSEUDO_PARAMETERS = ['AWS::Partition', 'AWS::Region', 'AWS::AccountId', 'AWS::URLSuffix', 'AWS::StackName'];

/**
 * Resolves a template value to a string the way CloudFormation would for `environment`: literals, Ref of
 * pseudo parameters, Fn::Join and Fn::Sub; Ref/Fn::GetAtt of resources from `references`, else a
 * placeholder `<unresolved:...>` (which contains no wildcard, so it matches no real ARN).
 */
export function resolveIntrinsic(value: CfnValue, environment: PolicyEnvironment & { stackName?: string }): string {
  const pseudo: { [name: string]: string } = {
    'AWS::Partition': environment.partition ?? 'aws',
    'AWS::Region': environment.region ?? 'us-east-1',
    'AWS::AccountId': environment.accountId ?? '123456789012',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': environment.stackName ?? '<unresolved:AWS::StackName>',
  };
  const reference = (name: string): string => {
    if (PSEUDO_PARAMETERS.includes(name)) return pseudo[name];
    return environment.references?.[name] ?? `<unresolved:${name}>`;
  };
  if (typeof value === 'string') return value;
  const o = value as { Ref?: string; 'Fn::GetAtt'?: string[] | string; 'Fn::Join'?: [string, CfnValue[]]; 'Fn::Sub'?: string | [string, { [k: string]: CfnValue }] };
  if (typeof o?.Ref === 'string') return reference(o.Ref);
  if (o?.['Fn::GetAtt'] !== undefined) {
    const getAtt = o['Fn::GetAtt'];
    return reference(Array.isArray(getAtt) ? getAtt.join('.') : getAtt);
  }
  if (o?.['Fn::Join'] !== undefined) {
    const [separator, parts] = o['Fn::Join'];
    return parts.map((part) => resolveIntrinsic(part, environment)).join(separator);
  }
  if (o?.['Fn::Sub'] !== undefined) {
    const [text, variables] = Array.isArray(o['Fn::Sub']) ? o['Fn::Sub'] : [o['Fn::Sub'], {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) =>
      variables[name] !== undefined ? resolveIntrinsic(variables[name], environment) : reference(name),
    );
  }
  return `<unresolved:${JSON.stringify(value)}>`;
}
