/**
 * Which resource owns a number. Every number this handler claims carries the tag
 * `claimed-phone-number:owner = <stack name>/<logical id>`. Reading it back lets the handler
 * - take back its own number after an interrupted deploy (a claim whose answer was lost),
 * - hand a number over when a construct moves in the tree (same stack, new logical id), and
 * - refuse to touch any number it did not claim (claimed by hand, or by another stack), and tell a number
 *   declared twice (here and in another stack) from one that may be adopted.
 * The stack name (not the stack's unique id) is used so that a stack deleted after a failed first deploy
 * and deployed again under the same name still recognises what its earlier attempt claimed. A nested stack's
 * name is generated anew each time it is created, so there the scope is the root stack's name and the path of
 * nested-stack logical ids down to it (`<root>/<nested id>/.../<logical id>`), which the provider sets at
 * synth time (HandlerEnv.OWNER_SCOPE). The value is split at its last `/`: stack names and logical ids have none.
 */
import { createHash } from 'crypto';
import { OwnershipTag } from '../lib/shared/contract';

const MAX_TAG_VALUE_LENGTH = 256;

export interface OwnerScope {
  readonly StackId: string;
  readonly LogicalResourceId: string;
}

/** The stack name in a stack id: arn:<partition>:cloudformation:<region>:<account>:stack/<stack name>/<uuid>. */
export function stackNameOf(stackId: string): string {
  return stackId.split('/')[1] ?? stackId;
}

/** An owner tag value split into its scope (a stack name, or a nested stack's path) and logical id. */
export function parseOwnerTag(value: string | undefined): { readonly scope: string; readonly logicalId: string } | undefined {
  const slash = value?.lastIndexOf('/') ?? -1;
  if (value === undefined || slash <= 0 || slash === value.length - 1) {
    return undefined;
  }
  return { scope: value.slice(0, slash), logicalId: value.slice(slash + 1) };
}

export class Owner {
  /** `ownerScope`: HandlerEnv.OWNER_SCOPE, set for nested stacks only. */
  static of(scope: OwnerScope, ownerScope?: string): Owner {
    const stackName = stackNameOf(scope.StackId);
    return new Owner(ownerScope || stackName, scope.LogicalResourceId, ownerScope ? stackName : undefined);
  }

  private constructor(
    /** The stack name, or for a nested stack `<root stack name>/<nested logical ids>`. */
    readonly stackName: string,
    readonly logicalId: string,
    /** A nested stack's own (generated) name: 0.2.0 used it as the scope, and its numbers are still this resource's. */
    private readonly legacyScope?: string,
  ) {}

  /** The name of the stack the resource is in (for a nested stack: its generated name, not the scope). */
  get ownStackName(): string {
    return this.legacyScope ?? this.stackName;
  }

  /** The owner tag value for this resource. */
  get tagValue(): string {
    return Owner.tagValueFor(this.stackName, this.logicalId);
  }

  /** The owner tag value of a sibling resource of the same stack. */
  siblingTagValue(logicalId: string): string {
    return Owner.tagValueFor(this.stackName, logicalId);
  }

  /** How a number, given its tags, relates to this resource. */
  relationTo(tags: { [key: string]: string } | undefined): OwnerRelation {
    const ownerTag = tags?.[OwnershipTag.OWNER];
    const handoverFrom = tags?.[OwnershipTag.HANDOVER_FROM];
    if (ownerTag === this.tagValue || (this.legacyScope !== undefined && ownerTag === Owner.tagValueFor(this.legacyScope, this.logicalId))) {
      return handoverFrom ? { kind: 'OWNED_AFTER_HANDOVER', previousLogicalId: handoverFrom } : { kind: 'OWNED' };
    }
    const parsed = parseOwnerTag(ownerTag);
    if (parsed && (parsed.scope === this.stackName || parsed.scope === this.legacyScope)) {
      return { kind: 'SIBLING', ownerLogicalId: parsed.logicalId, handedOverFromMe: handoverFrom === this.logicalId };
    }
    if (parsed) {
      // Only this library writes the owner tag: a value of another stack is a ClaimedPhoneNumber there.
      return { kind: 'OTHER_STACK', stackName: parsed.scope, logicalId: parsed.logicalId };
    }
    return { kind: 'FOREIGN', ownerTag };
  }

  private static tagValueFor(stackName: string, logicalId: string): string {
    const value = `${stackName}/${logicalId}`;
    if (value.length <= MAX_TAG_VALUE_LENGTH) {
      return value;
    }
    // Only reachable with a logical id far beyond CDK's usual lengths; keep the value unique and in bounds.
    const digest = createHash('sha256').update(value).digest('hex').slice(0, 32);
    return `${stackName.slice(0, MAX_TAG_VALUE_LENGTH - 34)}/~${digest}`;
  }
}

export type OwnerRelation =
  /** Claimed by this resource. */
  | { readonly kind: 'OWNED' }
  /** Taken over by this resource from a sibling that may still exist (a construct moved in the tree). */
  | { readonly kind: 'OWNED_AFTER_HANDOVER'; readonly previousLogicalId: string }
  /** Owned by another resource of the same stack; `handedOverFromMe` when this resource gave it away. */
  | { readonly kind: 'SIBLING'; readonly ownerLogicalId: string; readonly handedOverFromMe: boolean }
  /** Claimed by a ClaimedPhoneNumber of another stack: the same number declared twice. */
  | { readonly kind: 'OTHER_STACK'; readonly stackName: string; readonly logicalId: string }
  /** Claimed by hand, by CfnPhoneNumber, or by another tool (no owner tag, or one this library did not write). */
  | { readonly kind: 'FOREIGN'; readonly ownerTag: string | undefined };
