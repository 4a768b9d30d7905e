/**
 * Which resource owns a number. Every number this handler claims carries the tag
 * `claimed-phone-number:owner = <stack name>/<logical id>`. Reading it back lets the handler
 * - take back its own number after an interrupted deploy (a claim whose answer was lost),
 * - hand a number over when a construct moves in the tree (same stack, new logical id), and
 * - refuse to touch any number it did not claim (claimed by hand, or by another stack), and tell a number
 *   declared twice (here and in another stack) from one that may be adopted.
 * The stack name (not the stack's unique id) is used so that a stack deleted after a failed first deploy
 * and deployed again under the same name still recognises what its earlier attempt claimed.
 */
import { createHash } from 'crypto';
import { OwnershipTag } from '../lib/shared/contract';

const MAX_TAG_VALUE_LENGTH = 256;

export interface OwnerScope {
  readonly StackId: string;
  readonly LogicalResourceId: string;
}

export class Owner {
  static of(scope: OwnerScope): Owner {
    // arn:<partition>:cloudformation:<region>:<account>:stack/<stack name>/<uuid>
    const stackName = scope.StackId.split('/')[1] ?? scope.StackId;
    return new Owner(stackName, scope.LogicalResourceId);
  }

  private constructor(
    readonly stackName: string,
    readonly logicalId: string,
  ) {}

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
    if (ownerTag === this.tagValue) {
      return handoverFrom ? { kind: 'OWNED_AFTER_HANDOVER', previousLogicalId: handoverFrom } : { kind: 'OWNED' };
    }
    const prefix = `${this.stackName}/`;
    if (ownerTag?.startsWith(prefix)) {
      return { kind: 'SIBLING', ownerLogicalId: ownerTag.slice(prefix.length), handedOverFromMe: handoverFrom === this.logicalId };
    }
    const slash = ownerTag?.indexOf('/') ?? -1;
    if (ownerTag !== undefined && slash > 0) {
      // Only this library writes the owner tag: a value of another stack is a ClaimedPhoneNumber there.
      return { kind: 'OTHER_STACK', stackName: ownerTag.slice(0, slash), logicalId: ownerTag.slice(slash + 1) };
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
