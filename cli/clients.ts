/**
 * The AWS clients the command uses, from the SDK's default chain: credentials and Region from the
 * environment or `--profile`, endpoints from AWS_ENDPOINT_URL_CONNECT / AWS_ENDPOINT_URL_CLOUDFORMATION
 * (the SDK reads them itself, so the same command runs against the local emulator and the CloudFormation
 * stand-in). One attempt per SDK call: retries are the handler's (lambda/retry.ts).
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConnectClient } from '@aws-sdk/client-connect';
import { createConnectClient } from '../lambda/connect-client';
import { UsageError } from './errors';

export interface AwsClients {
  readonly connect: ConnectClient;
  readonly cloudFormation: CloudFormationClient;
}

export async function createClients(region: string | undefined, profile: string | undefined): Promise<AwsClients> {
  const config = { ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
  const connect = createConnectClient(config);
  const cloudFormation = new CloudFormationClient({ maxAttempts: 1, ...config });
  try {
    await connect.config.region();
  } catch {
    throw new UsageError('No AWS Region: pass --region, set AWS_REGION, or use a --profile that names one.');
  }
  return { connect, cloudFormation };
}
