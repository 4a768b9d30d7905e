/**
 * The ClientToken of the command's release of a number: derived from its ARN alone (the handler's
 * derivation, lambda/client-token.ts, with a fixed scope of its own), so a second run after an interruption
 * sends the same token and Connect answers it as the same release instead of starting another.
 */
import { deriveClientToken } from '../lambda/client-token';

const SCOPE = { StackId: 'cdk-claimed-phone-number-cli', RequestId: 'release' };

export function releaseToken(phoneNumberArn: string): string {
  return deriveClientToken({ ...SCOPE, LogicalResourceId: phoneNumberArn }, 'ReleasePhoneNumber', phoneNumberArn);
}
