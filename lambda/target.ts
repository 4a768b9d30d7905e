/**
 * Where a number is claimed to: an instance given by id, or an instance or traffic distribution group
 * given by ARN. Connect accepts either form for an instance, so comparisons go through `sameAs`, which
 * treats `InstanceId: X` and `TargetArn: arn:...:instance/X` as the same place (no move needed).
 */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';

const INSTANCE_ARN = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/([^/]+)$/;

export class Target {
  static fromProperties(instanceId: string | undefined, targetArn: string | undefined): Target {
    return new Target(instanceId || undefined, instanceId ? undefined : targetArn || undefined);
  }

  private constructor(
    readonly instanceId: string | undefined,
    readonly targetArn: string | undefined,
  ) {}

  /** The members of a ClaimPhoneNumber or UpdatePhoneNumber request that name this target. */
  asRequestMembers(): { InstanceId?: string; TargetArn?: string } {
    return this.instanceId !== undefined ? { InstanceId: this.instanceId } : { TargetArn: this.targetArn };
  }

  /** A form that is equal for equal places: the instance id for instances, the ARN otherwise. */
  key(): string {
    if (this.instanceId !== undefined) {
      return `instance/${this.instanceId}`;
    }
    const instance = INSTANCE_ARN.exec(this.targetArn ?? '');
    return instance ? `instance/${instance[1]}` : (this.targetArn ?? '');
  }

  /** True for a traffic distribution group (whose claims fail differently from an instance's). */
  isTrafficDistributionGroup(): boolean {
    return this.instanceId === undefined && /:traffic-distribution-group\//.test(this.targetArn ?? '');
  }

  sameAs(other: Target): boolean {
    return this.key() === other.key();
  }

  /** Whether Connect reports the number as claimed to this target. */
  isWhere(summary: ClaimedPhoneNumberSummary): boolean {
    // TargetArn names the place exactly (an instance ARN reduces to its id in key()); InstanceId alone is
    // only a fallback, since a number on a traffic distribution group may report an instance too.
    const current = summary.TargetArn
      ? Target.fromProperties(undefined, summary.TargetArn)
      : Target.fromProperties(summary.InstanceId, undefined);
    return this.sameAs(current);
  }

  toString(): string {
    return this.instanceId !== undefined ? `instance ${this.instanceId}` : (this.targetArn ?? '');
  }
}
