/** The vocabulary of the CloudFormation model: statuses, template entries, resource records, step records. */
import type { CfnRequest, CfnResponse, HandleOptions } from '../provider-framework';

export type Properties = { [key: string]: unknown };

/** Stack statuses the model goes through (CloudFormation User Guide, "Stack status codes"). */
export type StackStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_FAILED'
  | 'ROLLBACK_COMPLETE'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_FAILED'
  | 'DELETE_COMPLETE';

/** Statuses in which the stack can take an update. */
export const UPDATABLE_STATUSES: readonly StackStatus[] = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'];

/** Statuses a handler sees during a rollback (as opposed to a deploy or a user's delete). */
export const ROLLBACK_STATUSES: readonly StackStatus[] = [
  'ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
];

/** Resource statuses; a reverse Update of a rollback shows as UPDATE_IN_PROGRESS / UPDATE_COMPLETE / UPDATE_FAILED. */
export type ResourceStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_FAILED';

/** DeletionPolicy / UpdateReplacePolicy of one resource, as the template spells them ('Retain', 'Delete', ...). */
export interface ResourcePolicies {
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
}

/** One resource of a template: its declared properties (intrinsics kept) and policies. */
export interface TemplateEntry {
  readonly properties: Properties;
  readonly policies: ResourcePolicies;
}

/** A template: resources by logical id, in declaration order. */
export type TemplateEntries = ReadonlyMap<string, TemplateEntry>;

/** What CloudFormation knows about one resource of the stack. */
export interface ResourceRecord {
  readonly logicalId: string;
  /** Unset while its Create has not been answered. */
  physicalId?: string;
  /** The properties CloudFormation last sent it successfully (sent again as OldResourceProperties). */
  properties: Properties;
  /** Attributes of the last successful answer: each answer replaces them. */
  data: { [key: string]: string };
  status: ResourceStatus;
  policies: ResourcePolicies;
  lastUpdated: Date;
}

/** One request and its answer, for logs, demos and assertions. */
export interface StepRecord {
  readonly request: CfnRequest;
  readonly response: CfnResponse;
  readonly elapsedMs: number;
  /** The stack status while the request was sent. */
  readonly stackStatus?: StackStatus;
}

/** One entry of the stack's status history. */
export interface StatusChange {
  readonly stackId: string;
  readonly status: StackStatus;
  readonly at: Date;
}

/** What the model sends requests to: the Provider framework, or a scripted fake in unit tests. */
export interface ResourceProvider {
  handle(request: CfnRequest, options?: HandleOptions): Promise<CfnResponse>;
}

/** The template as GetTemplate returns it. */
export interface TemplateDocument {
  readonly Resources: {
    [logicalId: string]: { Type: string; Properties: Properties; DeletionPolicy?: string; UpdateReplacePolicy?: string };
  };
}
