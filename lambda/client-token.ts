/**
 * ClientToken derivation. Connect treats two calls with the same ClientToken and the same parameters as
 * one, answering the second with the first result. Deriving the token from the CloudFormation event
 * (instead of a random one per call) carries that guarantee across everything that can repeat a call:
 * the handler's own retries, a Lambda retry of the whole event, a handler killed after Connect did the
 * work, and the isComplete waiter calling again.
 *
 * Inputs, and why each one is there:
 * - StackId and LogicalResourceId: which resource asks. Two resources never share a token.
 * - RequestId: which CloudFormation request. The same event delivered twice has the same RequestId and so
 *   the same token; a later deploy (a new request) gets a new one, so a stale token can never answer it.
 * - the operation and the values that make the call distinct (number, target, description): one event
 *   makes several different calls (claim, then a metadata update), and each needs its own token.
 */
import { createHash } from 'crypto';

export interface TokenScope {
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly RequestId: string;
}

export function deriveClientToken(scope: TokenScope, operation: string, ...distinctValues: string[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([scope.StackId, scope.LogicalResourceId, scope.RequestId, operation, ...distinctValues]))
    .digest('hex');
  // Shape the first 128 bits as an RFC 4122 name-based UUID (version 5 and variant bits set), lowercase,
  // which is what Connect's ClientToken pattern accepts.
  const hex = digest.slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
