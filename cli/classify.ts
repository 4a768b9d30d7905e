/**
 * The state of one owned number, from Connect's description of it and the facts of its owner's stack.
 * Exactly one of:
 * - in-use: the owner's stack holds this ARN as that logical id's physical id;
 * - kept: not in use, and a Delete kept it (the kept mark: the reason and time it was kept);
 * - retained: the stack exists but does not hold it, and nothing marked it kept (a RETAIN or
 *   UpdateReplacePolicy leftover, or a removed resource);
 * - orphaned: the owner's stack does not exist, or was deleted.
 */
import { KeptReason, OwnershipTag, parseKeptMark } from '../lib/shared/contract';
import { Drift, driftOf } from './drift';
import { OwnedNumber } from './owned-numbers';
import { StackFacts } from './stack-directory';
import { NumberState } from './states';
import { wouldTakeBack } from './take-back';
import { Known } from './template-values';

export interface InventoryEntry {
  readonly phoneNumber: string;
  readonly phoneNumberArn: string;
  readonly phoneNumberId: string;
  /** Connect's status: CLAIMED, IN_PROGRESS or FAILED. */
  readonly status: string;
  /** Where it is claimed: an instance id or a traffic distribution group ARN. */
  readonly target: string;
  /** The owner tag's scope: the stack name, or a nested stack's path from its root. */
  readonly stackName: string;
  readonly logicalId: string;
  readonly state: NumberState;
  /** Why it is in that state, in a sentence. */
  readonly reason: string;
  /** The owner's stack status, when the stack exists. */
  readonly stackStatus?: string;
  /** For kept numbers: the kept mark. */
  readonly kept?: { readonly reason: string; readonly at?: string; readonly takenBackOnNextDeploy: Known<boolean> };
  /** For in-use numbers; null otherwise. */
  readonly drift: Drift | null;
  /** The contact flow the template declares for the logical id (released numbers are disassociated first). */
  readonly declaredContactFlowArn?: string;
  /** For in-use numbers: the ids of numbers kept for the same resource (the kept-numbers tag), if any. */
  readonly keptNumberIds?: readonly string[];
}

export function classify(owned: OwnedNumber, facts: StackFacts): InventoryEntry {
  const { summary } = owned;
  const base = {
    phoneNumber: summary.PhoneNumber ?? '',
    phoneNumberArn: summary.PhoneNumberArn ?? '',
    phoneNumberId: summary.PhoneNumberId ?? '',
    status: summary.PhoneNumberStatus?.Status ?? 'UNKNOWN',
    target: summary.TargetArn ?? summary.InstanceId ?? '',
    stackName: owned.scope,
    logicalId: owned.logicalId,
  };
  if (!facts.exists) {
    return { ...base, state: 'orphaned', reason: `${capitalize(facts.why)}: nothing will take it back.`, drift: null };
  }
  const resource = facts.template[owned.logicalId];
  const flow = resource?.Properties?.ContactFlowArn;
  const withStack = { ...base, stackStatus: facts.status, ...(typeof flow === 'string' ? { declaredContactFlowArn: flow } : {}) };
  const physicalId = facts.physicalIds.get(owned.logicalId);
  if (physicalId !== undefined && (physicalId === summary.PhoneNumberArn || physicalId === summary.PhoneNumberId)) {
    const keptNumbers = summary.Tags?.[OwnershipTag.KEPT_NUMBERS]?.split(' ').filter((id) => id !== '');
    return {
      ...withStack,
      state: 'in-use',
      reason: `Stack ${owned.scope} holds it as ${owned.logicalId}.`,
      drift: driftOf(resource, summary),
      ...(keptNumbers?.length ? { keptNumberIds: keptNumbers } : {}),
    };
  }
  const mark = summary.Tags?.[OwnershipTag.KEPT_BY_ROLLBACK];
  if (mark !== undefined) {
    const { reason, at } = parseKeptMark(mark);
    const takenBack = wouldTakeBack(resource, summary);
    return {
      ...withStack,
      state: 'kept',
      reason: `Kept by a Delete${at ? ` at ${at}` : ''} ${keptWhy(reason)}; ${takeBackSentence(takenBack)}${settling(facts.status)}`,
      kept: { reason, at, takenBackOnNextDeploy: takenBack },
      drift: null,
    };
  }
  return {
    ...withStack,
    state: 'retained',
    reason:
      `Stack ${owned.scope} (${facts.status}) no longer holds it as ${owned.logicalId}${physicalId ? ` (it holds ${physicalId})` : ''}: ` +
      `a RETAIN leftover or a removed resource.${settling(facts.status)}`,
    drift: null,
  };
}

/** The kept mark's reason in words: a stack status, a parent's (`parent:<status>`), or an unreadable stack. */
function keptWhy(reason: string): string {
  if (reason === KeptReason.STACK_UNREADABLE) {
    return `because its stack could not be read (${reason}: look at the stack before releasing it)`;
  }
  return reason.startsWith(KeptReason.PARENT_PREFIX) ? `while its parent stack was ${reason.slice(KeptReason.PARENT_PREFIX.length)}` : `in ${reason}`;
}

/** Said of a number whose stack is mid-operation: what it holds may change before the operation ends. */
function settling(status: string): string {
  return status.endsWith('_IN_PROGRESS') ? ` The stack is ${status}: list again once it has settled.` : '';
}

function takeBackSentence(takenBack: Known<boolean>): string {
  if (takenBack === 'unknown') return 'the template computes what it asks for: the next deploy may take it back.';
  return takenBack ? 'the template in force asks for it: the next deploy takes it back.' : 'the template in force does not ask for it.';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
