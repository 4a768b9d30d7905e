/**
 * The release rule: whether a Delete may release the number it names. A release cannot be undone (the
 * account cannot claim the number back for up to 180 days), and a Delete alone does not say why it was
 * sent: it may be a rollback's, a cleanup's delivered hours late (Lambda keeps an asynchronous event up to
 * six hours), a repeat, or a forged one. So the rule is an allow-list decided from the stack as it is now,
 * and everything it does not allow keeps the number, marked with the reason.
 *
 * | # | the asking stack                     | its parents (nested stacks only)                         | the template in force          | decision |
 * |---|--------------------------------------|----------------------------------------------------------|--------------------------------|----------|
 * | 1 | DELETE_IN_PROGRESS                   | none; or each one DELETE_IN_PROGRESS up to the root, or up to one in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS whose own parents all are too | -          | release  |
 * | 2 | UPDATE_COMPLETE_CLEANUP_IN_PROGRESS  | none; or all UPDATE_COMPLETE_CLEANUP_IN_PROGRESS         | no longer holds this number for this logical id (logical id gone, or another physical id) | release |
 * | 3 | a rollback status (ROLLBACK_IN_PROGRESS, UPDATE_ROLLBACK_*, IMPORT_ROLLBACK_IN_PROGRESS), or DELETE_IN_PROGRESS under a parent that is not letting go | - | - | keep, marked with that status (`parent:<status>` for a parent's) |
 * | 4 | any other status                     | -                                                        | holds this number for this logical id | in use: leave it untouched (a stale or forged Delete) |
 * | 5 | any other status                     | -                                                        | does not hold it               | keep, marked with the status (a late delivery) |
 * | 6 | cannot be read (throttled to the deadline, AccessDenied, unreachable) | -                      | -                              | keep, marked STACK_UNREADABLE |
 *
 * Row 1 for a nested stack: a parent being deleted, or a parent whose successful update removed the nested
 * stack, lets go; a parent rolling back (its failed update had added the nested stack, or its first create
 * failed) keeps.
 */
import { KeptReason } from '../lib/shared/contract';
import { isRollbackStatus, StackSummary } from './stack-reader';

export const DELETE_IN_PROGRESS = 'DELETE_IN_PROGRESS';
export const UPDATE_CLEANUP = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';

export type ReleaseDecision =
  /** The stack lets the number go. `resourceGone`: the logical id itself goes away (not a replacement). */
  | { readonly action: 'RELEASE'; readonly row: 1 | 2; readonly resourceGone: boolean }
  /** The stack still holds the number: leave it exactly as it is. */
  | { readonly action: 'IN_USE'; readonly row: 4 }
  /** Keep the number, claimed and owned, marked with `reason`. */
  | { readonly action: 'KEEP'; readonly row: 3 | 5 | 6; readonly reason: string };

/** What the rule reads; each is read only when the row before it did not decide. */
export interface ReleaseFacts {
  /** The asking stack, then its parents up to the root (see StackReader.lineage). */
  lineage(): Promise<readonly StackSummary[]>;
  /** Whether the template in force declares the asking logical id as a claimed number. */
  declaresThisResource(): Promise<boolean>;
  /** The physical id the stack holds for the asking logical id (undefined: none). */
  physicalIdOfThisResource(): Promise<string | undefined>;
}

/** Decides for a Delete of `arn` by the rule above. Never throws: an unreadable stack keeps the number. */
export async function decideRelease(arn: string, facts: ReleaseFacts): Promise<ReleaseDecision> {
  try {
    const [own, ...parents] = await facts.lineage();
    const letsGo = own.status === DELETE_IN_PROGRESS || own.status === UPDATE_CLEANUP;
    const blocker = letsGo ? parentsBlocking(parents, own.status === DELETE_IN_PROGRESS ? 'delete' : 'cleanup') : undefined;
    if (blocker) {
      return { action: 'KEEP', row: 3, reason: `${KeptReason.PARENT_PREFIX}${blocker}` };
    }
    if (own.status === DELETE_IN_PROGRESS) {
      return { action: 'RELEASE', row: 1, resourceGone: true };
    }
    if (own.status === UPDATE_CLEANUP) {
      if (!(await facts.declaresThisResource())) {
        return { action: 'RELEASE', row: 2, resourceGone: true };
      }
      return (await facts.physicalIdOfThisResource()) === arn ? { action: 'IN_USE', row: 4 } : { action: 'RELEASE', row: 2, resourceGone: false };
    }
    if (isRollbackStatus(own.status)) {
      return { action: 'KEEP', row: 3, reason: own.status };
    }
    const holds = (await facts.declaresThisResource()) && (await facts.physicalIdOfThisResource()) === arn;
    return holds ? { action: 'IN_USE', row: 4 } : { action: 'KEEP', row: 5, reason: own.status };
  } catch {
    return { action: 'KEEP', row: 6, reason: KeptReason.STACK_UNREADABLE };
  }
}

/**
 * The status of the first parent that does not let its nested stack go, if any. A nested stack is deleted
 * for good when the parents above it are deleted, up to one whose successful update removed it (cleanup),
 * whose own parents must all be in that cleanup too (a nested stack's cleanup runs with its root's).
 */
function parentsBlocking(parents: readonly StackSummary[], phase: 'delete' | 'cleanup'): string | undefined {
  let deleting = phase === 'delete';
  for (const parent of parents) {
    if (deleting && parent.status === DELETE_IN_PROGRESS) {
      continue;
    }
    if (parent.status === UPDATE_CLEANUP) {
      deleting = false;
      continue;
    }
    return parent.status;
  }
  return undefined;
}
