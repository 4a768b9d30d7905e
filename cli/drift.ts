/**
 * Drift of an in-use number: what Connect reports against what the template in force declares for its
 * logical id. Description, user tags and target are compared; a declared value that is not a plain string
 * is "unknown". The contact flow is always "unknown": DescribePhoneNumber and ListPhoneNumbersV2 do not
 * report a number's flow (Connect's ListFlowAssociations does, per instance; not used yet).
 */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { TemplateResource } from '../lambda/stack-reader';
import { Target } from '../lambda/target';
import { Property } from '../lib/shared/contract';
import { stringMapProperty, stringProperty, UNKNOWN } from './template-values';

export type DriftField = 'description' | 'tags' | 'target' | 'contactFlow';

export interface FieldDrift {
  readonly field: DriftField;
  readonly status: 'in-sync' | 'drifted' | 'unknown';
  /** What differs, or why it is unknown. */
  readonly detail?: string;
}

export interface Drift {
  /** True when at least one field is known to differ. */
  readonly drifted: boolean;
  readonly fields: readonly FieldDrift[];
}

/** Tags the library or AWS set: never the user's, never drift. */
const isReservedTag = (key: string) => key.startsWith('claimed-phone-number:') || key.startsWith('aws:');

export function driftOf(resource: TemplateResource | undefined, summary: ClaimedPhoneNumberSummary): Drift {
  const fields = [description(resource, summary), tags(resource, summary), target(resource, summary), contactFlow(resource)];
  return { drifted: fields.some((field) => field.status === 'drifted'), fields };
}

function description(resource: TemplateResource | undefined, summary: ClaimedPhoneNumberSummary): FieldDrift {
  const declared = stringProperty(resource, Property.DESCRIPTION);
  if (declared === UNKNOWN) return { field: 'description', status: 'unknown', detail: 'the template computes it' };
  const actual = summary.PhoneNumberDescription ?? '';
  return actual === (declared ?? '')
    ? { field: 'description', status: 'in-sync' }
    : { field: 'description', status: 'drifted', detail: `${JSON.stringify(actual)} (template: ${JSON.stringify(declared ?? '')})` };
}

function tags(resource: TemplateResource | undefined, summary: ClaimedPhoneNumberSummary): FieldDrift {
  const declared = stringMapProperty(resource, Property.TAGS);
  if (declared === UNKNOWN) return { field: 'tags', status: 'unknown', detail: 'the template computes them' };
  const wanted = declared ?? {};
  const actual = Object.fromEntries(Object.entries(summary.Tags ?? {}).filter(([key]) => !isReservedTag(key)));
  const differences = [
    ...Object.keys(wanted)
      .filter((key) => actual[key] !== wanted[key])
      .map((key) => (key in actual ? `${key}=${actual[key]} (template: ${wanted[key]})` : `${key} missing (template: ${wanted[key]})`)),
    ...Object.keys(actual)
      .filter((key) => !(key in wanted))
      .map((key) => `${key}=${actual[key]} added`),
  ];
  return differences.length === 0 ? { field: 'tags', status: 'in-sync' } : { field: 'tags', status: 'drifted', detail: differences.join(', ') };
}

function target(resource: TemplateResource | undefined, summary: ClaimedPhoneNumberSummary): FieldDrift {
  const instanceId = stringProperty(resource, Property.INSTANCE_ID);
  const targetArn = stringProperty(resource, Property.TARGET_ARN);
  if (instanceId === UNKNOWN || (targetArn === UNKNOWN && !instanceId)) return { field: 'target', status: 'unknown', detail: 'the template computes it' };
  const declared = Target.fromProperties(instanceId, targetArn === UNKNOWN ? undefined : targetArn);
  if (declared.instanceId === undefined && declared.targetArn === undefined) return { field: 'target', status: 'unknown', detail: 'the template declares none' };
  return declared.isWhere(summary)
    ? { field: 'target', status: 'in-sync' }
    : { field: 'target', status: 'drifted', detail: `${summary.TargetArn ?? summary.InstanceId} (template: ${declared.toString()})` };
}

function contactFlow(resource: TemplateResource | undefined): FieldDrift {
  const declared = stringProperty(resource, Property.CONTACT_FLOW_ARN);
  return {
    field: 'contactFlow',
    status: 'unknown',
    detail: `Connect does not report a number's flow${declared === undefined ? '' : ` (template: ${declared === UNKNOWN ? 'computed' : declared})`}`,
  };
}
