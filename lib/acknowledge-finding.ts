/**
 * Acknowledges one cdk-nag finding on a construct, on every aws-cdk-lib release the peer range admits.
 *
 * aws-cdk-lib's `Validations.of(scope).acknowledge()` (what cdk-nag v3 reads) does not exist in 2.251 and older
 * and, before 2.269, rejects ids with more than one `::`, as IAM5 finding ids such as
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:…]` have. Where it cannot take the id, the acknowledgement
 * is recorded as cdk-nag reads it without that API:
 * - cdk-nag v3 (aws-cdk-lib 2.257 or newer): the construct metadata `acknowledge()` itself writes, under
 *   `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, which v3 looks for on the resource and its ancestors;
 * - cdk-nag v2 (Aspects): `NagSuppressions`' CloudFormation metadata `cdk_nag.rules_to_suppress` on every
 *   CloudFormation resource under the construct (v2 reads it on the resource only).
 * Nothing of aws-cdk-lib's validation API is named in a type here: the declarations must check on releases
 * that lack it.
 */
import * as cdk from 'aws-cdk-lib';
import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/** A finding id of a validation plugin, e.g. `AwsSolutions-SF2` or `AwsSolutions-IAM5[Resource::*]`, and why it stays. */
export interface FindingAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** The part of aws-cdk-lib's `Validations` used here; every member is missing on some release in the peer range. */
interface ValidationsApi {
  readonly ACKNOWLEDGED_RULES_METADATA_KEY?: string;
  of(scope: IConstruct): { acknowledge?: (...acknowledgements: FindingAcknowledgement[]) => void };
}

/** One entry of cdk-nag v2's `cdk_nag.rules_to_suppress` resource metadata (its `NagSuppressions` format). */
interface NagV2Suppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
  readonly is_reason_encoded?: boolean;
}

const NAG_V2_METADATA_KEY = 'cdk_nag';

/** Looked up when called, not imported by name: a named import of a missing export would be `undefined` anyway, but typed as present. */
function validationsApi(): ValidationsApi | undefined {
  return (cdk as unknown as { Validations?: ValidationsApi }).Validations;
}

/** Acknowledges `finding` on `scope` (its CloudFormation resources and those below it). */
export function acknowledgeFinding(scope: IConstruct, finding: FindingAcknowledgement): void {
  const validations = validationsApi();
  const validationsOfScope = validations?.of(scope);
  if (validationsOfScope?.acknowledge !== undefined) {
    try {
      validationsOfScope.acknowledge(finding);
      return;
    } catch (error) {
      // aws-cdk-lib up to 2.268: "The '::' delimiter is reserved"; anything else is not ours to hide.
      if ((error as Error).name !== 'InvalidValidationId') throw error;
    }
  }
  if (validations?.ACKNOWLEDGED_RULES_METADATA_KEY !== undefined) {
    // What acknowledge() records (cdk-nag v3 compares ids with an optional "Annotation::" prefix removed).
    scope.node.addMetadata(validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [finding.id]: finding.reason });
  }
  const suppression = nagV2Suppression(finding);
  for (const child of scope.node.findAll()) {
    if (CfnResource.isCfnResource(child)) {
      const existing = (child.getMetadata(NAG_V2_METADATA_KEY) as { rules_to_suppress?: NagV2Suppression[] } | undefined) ?? {};
      child.addMetadata(NAG_V2_METADATA_KEY, { ...existing, rules_to_suppress: [...(existing.rules_to_suppress ?? []), suppression] });
    }
  }
}

/**
 * cdk-nag v2 takes the finding apart: `AwsSolutions-IAM5[Resource::*]` is rule `AwsSolutions-IAM5` applied to
 * `Resource::*` (it rejects an id holding a finding). Reasons beyond Latin-1 are base64, as NagSuppressions writes them.
 */
function nagV2Suppression(finding: FindingAcknowledgement): NagV2Suppression {
  const granular = /^([^[]+)\[(.*)\]$/.exec(finding.id);
  const encode = [...finding.reason].some((c) => (c.codePointAt(0) ?? 0) > 255);
  return {
    id: granular ? granular[1] : finding.id,
    reason: encode ? Buffer.from(finding.reason).toString('base64') : finding.reason,
    ...(granular ? { applies_to: [granular[2]] } : {}),
    ...(encode ? { is_reason_encoded: true } : {}),
  };
}

/** cdk-nag's reading of a runtime name: a family (`nodejs`, `python`) and a version (`24.x`, `3.13`). */
const RUNTIME_NAME = /^([a-z]+)(\d+(\.?\d+|\.x)?)?.*$/;

/**
 * The newest runtime of `runtime`'s family that this aws-cdk-lib knows (`lambda.Runtime.ALL`), compared as
 * cdk-nag's AwsSolutions-L1 compares them, or undefined when `runtime` is that one (or no such family is known).
 */
export function newerRuntimeOf(runtime: string): string | undefined {
  const family = RUNTIME_NAME.exec(runtime)?.[1];
  if (family === undefined || family === 'provided') {
    return undefined;
  }
  const versions = lambda.Runtime.ALL.map((rt) => rt.toString())
    .filter((name) => name.indexOf(family) === 0)
    .map((name) => ({ name, version: RUNTIME_NAME.exec(name)?.[2] ?? '0' }))
    .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true, sensitivity: 'base' }));
  const latest = versions.pop()?.name;
  return latest !== undefined && latest !== runtime ? latest : undefined;
}

/**
 * Acknowledges AwsSolutions-L1 ("the Lambda function does not use the latest runtime of its family") on
 * each function under `scope` whose runtime is older than the newest one the aws-cdk-lib in use knows:
 * exactly when cdk-nag reports it, so on a release that knows no newer runtime nothing is acknowledged.
 * The handler functions (`handlers`) stay on the runtime their bundle is built and tested for; the Provider
 * framework's functions run on the runtime aws-cdk-lib picks for them.
 */
export function acknowledgeRuntimes(scope: IConstruct, handlers: IConstruct[]): void {
  const handlerResources = new Set(handlers.map((handler) => handler.node.defaultChild));
  for (const child of scope.node.findAll()) {
    if (!(child instanceof lambda.CfnFunction) || typeof child.runtime !== 'string' || cdk.Token.isUnresolved(child.runtime)) {
      continue;
    }
    const newer = newerRuntimeOf(child.runtime);
    if (newer === undefined) {
      continue;
    }
    acknowledgeFinding(child, {
      id: 'AwsSolutions-L1',
      reason: handlerResources.has(child)
        ? `The handler bundle shipped in this package is built and tested on ${child.runtime}, a runtime Lambda supports; ` +
          `it moves to ${newer} in a release of the library tested there. The function runs only during deployments, ` +
          'invoked by the Provider framework with CloudFormation requests.'
        : `The Provider framework of aws-cdk-lib (custom-resources) picks ${child.runtime} for its own function ` +
          '(determineLatestNodeRuntime: the newest runtime it has verified in the Region); it runs only during ' +
          'deployments, relaying CloudFormation requests to the handler.',
    });
  }
}
