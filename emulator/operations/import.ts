import { invalidParameter, notFound } from '../errors';
import { acceptClaim, atNumberLimit, claimReleaseBudgetSpent, CLAIM_RELEASE_BUDGET_MESSAGE, CLAIMED_NUMBER_LIMIT_MESSAGE } from './claim';
import { OperationHandler } from './context';

/**
 * Answers for an import the API reference does not describe beyond the error names of the model
 * (InvalidParameterException, ResourceNotFoundException, ...). The emulator's choice, like CloudFormation's
 * and every client's, can only be checked against the real service:
 * - a source ARN that End User Messaging does not know in this account: 404 ResourceNotFoundException;
 * - a source already imported (a live number with that source) or whose number is held otherwise: 400
 *   InvalidParameterException;
 * - an unknown instance: 404 ResourceNotFoundException (as for a claim).
 */
export const sourceNotFoundMessage = (arn: string): string => `Source phone number not found: ${arn}`;
export const alreadyImportedMessage = (arn: string): string => `Phone number already imported: ${arn}`;

export const importPhoneNumber: OperationHandler = (ctx, input) => {
  const source = String(input.SourcePhoneNumberArn);
  const target = ctx.state.resolveTarget({ InstanceId: input.InstanceId }, ctx.region);
  const phoneNumber = ctx.state.sourceNumbers.get(source);
  if (phoneNumber === undefined) throw notFound(sourceNotFoundMessage(source));
  ctx.state.settle(ctx.now);
  const imported = ctx.state.records.some(
    (r) => r.sourcePhoneNumberArn === source && (r.status === 'CLAIMED' || r.status === 'IN_PROGRESS'),
  );
  if (imported || ctx.state.unavailableReason(phoneNumber, ctx.now)) throw invalidParameter(alreadyImportedMessage(source));
  // "Claim or import and then release": imports count towards the 200% rule like claims.
  const blocked = claimReleaseBudgetSpent(ctx);
  const failMessage = blocked ? CLAIM_RELEASE_BUDGET_MESSAGE : atNumberLimit(ctx, target.targetArn) ? CLAIMED_NUMBER_LIMIT_MESSAGE : undefined;
  return acceptClaim(ctx, input, phoneNumber, target, failMessage, source);
};
