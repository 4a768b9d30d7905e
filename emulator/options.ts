import { IamPolicies, normalizeStatements } from './iam';

/** A number SearchAvailablePhoneNumbers can offer and ClaimPhoneNumber can take. */
export interface InventoryNumber {
  readonly phoneNumber: string;
  readonly countryCode: string;
  readonly type: string;
}

export interface RateLimitOptions {
  /** Tokens added to the bucket per second. */
  readonly requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. */
  readonly burst: number;
  /**
   * One bucket per operation (Connect documents its quotas per API: 2 requests/second each for claim,
   * describe, list, ...) instead of one bucket that every operation shares. Default false.
   */
  readonly perOperation?: boolean;
}

export interface ConnectEmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
  /** Region used when the request carries no SigV4 credential scope. Default 'us-east-1'. */
  region?: string;
  /** The account every ARN belongs to. Default '123456789012'. */
  accountId?: string;
  /** How long a claim stays IN_PROGRESS. Default 1000 ms. */
  claimLatencyMs?: number;
  /** How long an UpdatePhoneNumber stays IN_PROGRESS. Default 1000 ms. */
  updateLatencyMs?: number;
  /** How long an UpdatePhoneNumberMetadata stays IN_PROGRESS. Default 500 ms. */
  metadataLatencyMs?: number;
  /** Token bucket per account+region, or false to disable. Default { requestsPerSecond: 2, burst: 5 }. */
  rateLimit?: RateLimitOptions | false;
  /** Connect instance ids that exist. Default [DEFAULT_INSTANCE_ID]. */
  instances?: string[];
  /** Traffic distribution group ids that exist. Default []. */
  trafficDistributionGroups?: string[];
  /** How long a released number cannot be searched or claimed. Default 180 days. */
  cooldownMs?: number;
  /** Numbers SearchAvailablePhoneNumbers draws from. Default: defaultInventory(). */
  inventory?: InventoryNumber[];
  /** Print one line per API call to stdout. Default false. */
  log?: boolean;
  /**
   * Identity-based policy statements by access key id. A request signed with a key listed here is
   * authorized against its statements (403 AccessDeniedException otherwise); other keys are not checked.
   * Default {} (no enforcement). See iam.ts for what is evaluated.
   */
  iam?: IamPolicies;
}

export type ResolvedOptions = Required<ConnectEmulatorOptions>;

/** The instance that exists when no `instances` option is given, so a bare emulator is usable. */
export const DEFAULT_INSTANCE_ID = '11111111-2222-3333-4444-555555555555';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The default inventory: 40 US DID numbers +1206555 0100..0139 and 40 US
 * TOLL_FREE numbers +1833555 0100..0139. The 555-01xx block is reserved for
 * fiction, so nothing here is a real subscriber's number.
 */
export function defaultInventory(): InventoryNumber[] {
  const numbers: InventoryNumber[] = [];
  for (let i = 0; i < 40; i += 1) {
    const suffix = String(100 + i).padStart(4, '0');
    numbers.push({ phoneNumber: `+1206555${suffix}`, countryCode: 'US', type: 'DID' });
  }
  for (let i = 0; i < 40; i += 1) {
    const suffix = String(100 + i).padStart(4, '0');
    numbers.push({ phoneNumber: `+1833555${suffix}`, countryCode: 'US', type: 'TOLL_FREE' });
  }
  return numbers;
}

function normalizePolicies(policies: IamPolicies): IamPolicies {
  return Object.fromEntries(Object.entries(policies).map(([key, statements]) => [key, normalizeStatements(statements)]));
}

export function resolveOptions(options: ConnectEmulatorOptions = {}): ResolvedOptions {
  return {
    port: options.port ?? 0,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    claimLatencyMs: options.claimLatencyMs ?? 1000,
    updateLatencyMs: options.updateLatencyMs ?? 1000,
    metadataLatencyMs: options.metadataLatencyMs ?? 500,
    rateLimit: options.rateLimit === undefined ? { requestsPerSecond: 2, burst: 5 } : options.rateLimit,
    instances: options.instances ?? [DEFAULT_INSTANCE_ID],
    trafficDistributionGroups: options.trafficDistributionGroups ?? [],
    cooldownMs: options.cooldownMs ?? 180 * DAY_MS,
    inventory: options.inventory ?? defaultInventory(),
    log: options.log ?? false,
    iam: normalizePolicies(options.iam ?? {}),
  };
}

/** Calling-code prefixes to ISO country, longest prefix first; enough for common test numbers. */
const COUNTRY_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['+1', 'US'],
  ['+44', 'GB'],
  ['+61', 'AU'],
  ['+49', 'DE'],
  ['+33', 'FR'],
  ['+81', 'JP'],
  ['+64', 'NZ'],
  ['+65', 'SG'],
  ['+27', 'ZA'],
  ['+34', 'ES'],
  ['+39', 'IT'],
  ['+52', 'MX'],
  ['+55', 'BR'],
  ['+91', 'IN'],
  ['+353', 'IE'],
].slice().sort((a, b) => b[0].length - a[0].length) as Array<[string, string]>;

/** ISO country of a number: inventory entry if any, else from its calling code (US when unknown). */
export function countryOf(phoneNumber: string, inventory: readonly InventoryNumber[]): string {
  const known = inventory.find((n) => n.phoneNumber === phoneNumber);
  if (known) return known.countryCode;
  return COUNTRY_PREFIXES.find(([prefix]) => phoneNumber.startsWith(prefix))?.[1] ?? 'US';
}

/** Number type: inventory entry if any, else DID. */
export function typeOf(phoneNumber: string, inventory: readonly InventoryNumber[]): string {
  return inventory.find((n) => n.phoneNumber === phoneNumber)?.type ?? 'DID';
}
