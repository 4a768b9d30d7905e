/**
 * Reads a synthesized cloud assembly (cdk.out) the way CloudFormation and the Provider framework would
 * use it: every Custom::ClaimedPhoneNumber, the framework function its ServiceToken points at, the user
 * functions that framework calls (their asset directory, handler name, timeout and environment), and the
 * waiter's polling schedule from the state machine definition. Nothing is assumed from the library's
 * source: a test built on this runs exactly the bundle a deployment would upload.
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
  readonly environment: { [name: string]: string };
}

/** The waiter's schedule: first isComplete call at once, then every intervalSeconds (times backoffRate). */
export interface WaiterSpec {
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

export interface ProviderSpec {
  readonly frameworkLogicalId: string;
  readonly onEvent: LambdaFunctionSpec;
  readonly isComplete?: LambdaFunctionSpec;
  readonly waiter?: WaiterSpec;
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

export class CloudAssembly {
  static load(directory: string): CloudAssembly {
    return new CloudAssembly(path.resolve(directory));
  }

  private readonly manifest: { artifacts: { [id: string]: { type: string; properties?: { templateFile?: string }; displayName?: string } } };

  private constructor(readonly directory: string) {
    this.manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8'));
  }

  /** Names of the stacks in the assembly. */
  stackNames(): string[] {
    return Object.entries(this.manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([id]) => id);
  }

  template(stackName: string): Template {
    const artifact = this.manifest.artifacts[stackName];
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

  private provider(template: Template, frameworkLogicalId: string): ProviderSpec {
    const framework = this.lambdaFunction(template, frameworkLogicalId);
    const userFunction = (variable: string) => {
      const reference = framework.rawEnvironment[variable];
      return reference === undefined ? undefined : this.lambdaFunction(template, getAttTarget(reference, variable)).spec;
    };
    const onEvent = userFunction('USER_ON_EVENT_FUNCTION_ARN');
    if (!onEvent) {
      throw new Error(`${frameworkLogicalId} is not a custom-resources Provider framework function (no USER_ON_EVENT_FUNCTION_ARN).`);
    }
    const isComplete = userFunction('USER_IS_COMPLETE_FUNCTION_ARN');
    const stateMachine = framework.rawEnvironment.WAITER_STATE_MACHINE_ARN as { Ref?: string } | undefined;
    return {
      frameworkLogicalId,
      onEvent,
      isComplete,
      waiter: stateMachine?.Ref ? waiterOf(template.Resources[stateMachine.Ref]) : undefined,
    };
  }

  private lambdaFunction(template: Template, logicalId: string): { spec: LambdaFunctionSpec; rawEnvironment: { [name: string]: CfnValue } } {
    const resource = template.Resources[logicalId];
    if (resource?.Type !== 'AWS::Lambda::Function') {
      throw new Error(`${logicalId} is not an AWS::Lambda::Function in the template.`);
    }
    const props = resource.Properties ?? {};
    const assetPath = resource.Metadata?.['aws:asset:path'];
    const rawEnvironment = ((props.Environment as { Variables?: { [name: string]: CfnValue } } | undefined)?.Variables ?? {});
    const environment = Object.fromEntries(
      Object.entries(rawEnvironment).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    return {
      rawEnvironment,
      spec: {
        logicalId,
        codeDirectory: typeof assetPath === 'string' ? path.join(this.directory, assetPath) : '',
        handler: String(props.Handler),
        runtime: String(props.Runtime),
        timeoutSeconds: Number(props.Timeout ?? 3),
        environment,
      },
    };
  }
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
  const definition = resolveJoin(stateMachine?.Properties?.DefinitionString);
  const states = JSON.parse(definition).States as { [name: string]: { Retry?: { IntervalSeconds: number; MaxAttempts: number; BackoffRate: number }[] } };
  const retry = Object.values(states).find((state) => state.Retry)?.Retry?.[0];
  if (!retry) {
    throw new Error('The waiter state machine has no Retry block to read its schedule from.');
  }
  return { intervalSeconds: retry.IntervalSeconds, maxAttempts: retry.MaxAttempts, backoffRate: retry.BackoffRate };
}

/** Flattens an Fn::Join, replacing intrinsic parts (function ARNs) by a placeholder string. */
function resolveJoin(value: CfnValue): string {
  if (typeof value === 'string') {
    return value;
  }
  const join = (value as { 'Fn::Join'?: [string, CfnValue[]] } | undefined)?.['Fn::Join'];
  if (!join) {
    throw new Error(`Cannot read the waiter definition: ${JSON.stringify(value)}`);
  }
  return join[1].map((part) => (typeof part === 'string' ? part : 'arn:placeholder')).join(join[0]);
}
