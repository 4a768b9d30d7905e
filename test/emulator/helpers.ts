import {
  ClaimedPhoneNumberSummary,
  ClaimPhoneNumberCommand,
  ClaimPhoneNumberCommandInput,
  ClaimPhoneNumberCommandOutput,
  ConnectClient,
  DescribePhoneNumberCommand,
  ListPhoneNumbersV2Command,
  ListPhoneNumbersV2CommandInput,
} from '@aws-sdk/client-connect';
import { ConnectEmulator, ConnectEmulatorOptions, startConnectEmulator } from '../../emulator';

export const INSTANCE_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const OTHER_INSTANCE_ID = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
export const TDG_ID = 'cccccccc-dddd-4eee-8fff-000000000000';
export const ACCOUNT = '123456789012';
export const instanceArn = (id: string = INSTANCE_ID, region = 'us-east-1'): string =>
  `arn:aws:connect:${region}:${ACCOUNT}:instance/${id}`;
export const tdgArn = (id: string = TDG_ID): string => `arn:aws:connect:us-east-1:${ACCOUNT}:traffic-distribution-group/${id}`;

/** Latency of every async transition in tests, and how long to wait to be sure it completed (margin for loaded CI). */
export const LATENCY_MS = 150;
export const SETTLE_MS = 250;

/** A fresh emulator with fast transitions and no rate limit unless a test asks for them. */
export function startTestEmulator(options: ConnectEmulatorOptions = {}): Promise<ConnectEmulator> {
  return startConnectEmulator({
    claimLatencyMs: LATENCY_MS,
    updateLatencyMs: LATENCY_MS,
    metadataLatencyMs: LATENCY_MS,
    rateLimit: false,
    instances: [INSTANCE_ID, OTHER_INSTANCE_ID],
    trafficDistributionGroups: [TDG_ID],
    ...options,
  });
}

/**
 * The usual test setup: one emulator (and client) for the describe block, reset before each test, closed
 * after all; `use` receives them once started.
 */
export function useTestEmulator(use: (emulator: ConnectEmulator, client: ConnectClient) => void, options: ConnectEmulatorOptions = {}): void {
  let emulator: ConnectEmulator;
  let client: ConnectClient;
  beforeAll(async () => {
    emulator = await startTestEmulator(options);
    client = clientFor(emulator);
    use(emulator, client);
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());
}

/** A real SDK client pointed at the emulator; maxAttempts 1 so errors surface instead of being retried. */
export function clientFor(emulator: ConnectEmulator, region = 'us-east-1', maxAttempts = 1): ConnectClient {
  return new ConnectClient({
    endpoint: emulator.url,
    region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret-key' },
    maxAttempts,
  });
}

export interface CaughtError {
  name: string;
  message: string;
  status?: number;
  error: Record<string, unknown>;
}

/** Awaits a promise that must reject and returns the SDK error's name, message and HTTP status. */
export async function caught(promise: Promise<unknown>): Promise<CaughtError> {
  try {
    await promise;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, error: e as Record<string, unknown> };
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const TOKEN_A = '11111111-1111-4111-8111-111111111111';
export const TOKEN_B = '22222222-2222-4222-8222-222222222222';

export const TOKEN_C = '33333333-3333-4333-8333-333333333333';

/** Claims `phoneNumber` to the test instance (or `target`) through the SDK and returns the claim's answer. */
export function claimNumber(
  client: ConnectClient,
  phoneNumber: string,
  target: { InstanceId?: string; TargetArn?: string } = { InstanceId: INSTANCE_ID },
  extra: Omit<ClaimPhoneNumberCommandInput, 'PhoneNumber' | 'InstanceId' | 'TargetArn'> = {},
): Promise<ClaimPhoneNumberCommandOutput> {
  return client.send(new ClaimPhoneNumberCommand({ ...target, PhoneNumber: phoneNumber, ...extra }));
}

/** The DescribePhoneNumber summary of a number. */
export async function describeNumber(client: ConnectClient, phoneNumberId: string): Promise<ClaimedPhoneNumberSummary | undefined> {
  return (await client.send(new DescribePhoneNumberCommand({ PhoneNumberId: phoneNumberId }))).ClaimedPhoneNumberSummary;
}

/** The phone numbers ListPhoneNumbersV2 returns for `input` (first page). */
export async function listedNumbers(client: ConnectClient, input: ListPhoneNumbersV2CommandInput = {}): Promise<string[]> {
  const out = await client.send(new ListPhoneNumbersV2Command(input));
  return (out.ListPhoneNumbersSummaryList ?? []).map((s) => s.PhoneNumber as string);
}
