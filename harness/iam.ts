/**
 * Makes the Connect emulator enforce the handler role's synthesized IAM policy: every request the handler
 * functions sign with the runner's access key is authorized against exactly the statements the template
 * grants that role, so a call the role does not allow fails with AccessDeniedException as it would after
 * a real deployment.
 */
import type { ConnectEmulator, PolicyStatement } from '../emulator';
import { CloudAssembly, PolicyEnvironment, ResolvedPolicyStatement } from './cloud-assembly';

/**
 * Registers the handler role's statements of `stackName` with `emulator` for `accessKeyId` (pass the key
 * the LambdaRunner signs with, `runner.accessKeyId`). Pseudo parameters resolve to `environment`, by
 * default the emulator's region and account. Returns the statements registered.
 */
export function enforceRolePolicy(
  emulator: Pick<ConnectEmulator, 'setPolicies' | 'options'>,
  assembly: CloudAssembly,
  stackName: string,
  accessKeyId: string | undefined,
  environment: PolicyEnvironment = {},
): ResolvedPolicyStatement[] {
  if (!accessKeyId) throw new Error('enforceRolePolicy needs the access key id the handler functions sign with');
  const statements = assembly.handlerRoleStatements(stackName, {
    region: emulator.options.region,
    accountId: emulator.options.accountId,
    ...environment,
  });
  emulator.setPolicies(accessKeyId, statements as PolicyStatement[]);
  return statements;
}
