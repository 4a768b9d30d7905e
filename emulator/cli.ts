#!/usr/bin/env node
import { startConnectEmulator } from './emulator';
import { ConnectEmulatorOptions } from './options';
import { EmulatorVariants, parseVariantAssignment, VARIANT_NAMES } from './variants';

/** A fixed port so scripts and other processes can find a standalone emulator. */
export const DEFAULT_CLI_PORT = 4599;

const USAGE = `Usage: node emulator/cli.js [--port N (default 4599)] [--region R] [--account-id ID]
  [--claim-latency-ms N] [--update-latency-ms N] [--metadata-latency-ms N] [--release-latency-ms N]
  [--no-rate-limit] [--account-wide-rate-limit] [--instance ID ...] [--traffic-distribution-group ID ...] [--log]
  [--cooldown-ms N] [--failed-hold-ms N] [--claimed-number-limit N | --no-claimed-number-limit]
  [--number-quota N] [--claim-release-window-ms N] [--no-claim-release-budget]
  [--variant NAME=VALUE ...]   variants: ${VARIANT_NAMES.join(', ')}`;

/** Parses argv into options; flags that take a number fail loudly on anything else. */
export function parseArgs(argv: string[]): ConnectEmulatorOptions {
  const options: ConnectEmulatorOptions = { port: DEFAULT_CLI_PORT };
  const instances: string[] = [];
  const groups: string[] = [];
  let variants: Partial<EmulatorVariants> = {};
  let budget: { numberQuota?: number; windowMs?: number } | false | undefined;
  const budgetOptions = (): { numberQuota?: number; windowMs?: number } => (budget === undefined || budget === false ? (budget = {}) : budget);
  const num = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': options.port = num(flag, value()); break;
      case '--region': options.region = value(); break;
      case '--account-id': options.accountId = value(); break;
      case '--claim-latency-ms': options.claimLatencyMs = num(flag, value()); break;
      case '--update-latency-ms': options.updateLatencyMs = num(flag, value()); break;
      case '--metadata-latency-ms': options.metadataLatencyMs = num(flag, value()); break;
      case '--release-latency-ms': options.releaseLatencyMs = num(flag, value()); break;
      case '--no-rate-limit': options.rateLimit = false; break;
      case '--account-wide-rate-limit': options.rateLimit = { requestsPerSecond: 2, burst: 5, scope: 'account' }; break;
      case '--cooldown-ms': options.cooldownMs = num(flag, value()); break;
      case '--failed-hold-ms': options.failedHoldMs = num(flag, value()); break;
      case '--claimed-number-limit': options.claimedNumberLimit = num(flag, value()); break;
      case '--no-claimed-number-limit': options.claimedNumberLimit = false; break;
      case '--number-quota': budgetOptions().numberQuota = num(flag, value()); break;
      case '--claim-release-window-ms': budgetOptions().windowMs = num(flag, value()); break;
      case '--no-claim-release-budget': budget = false; break;
      case '--variant': variants = { ...variants, ...parseVariantAssignment(value()) }; break;
      case '--instance': instances.push(value()); break;
      case '--traffic-distribution-group': groups.push(value()); break;
      case '--log': options.log = true; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`Unknown argument ${flag}\n${USAGE}`);
    }
  }
  if (instances.length > 0) options.instances = instances;
  if (groups.length > 0) options.trafficDistributionGroups = groups;
  if (Object.keys(variants).length > 0) options.variants = variants;
  if (budget !== undefined) options.claimReleaseBudget = budget;
  return options;
}

async function main(): Promise<void> {
  let options: ConnectEmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const emulator = await startConnectEmulator(options);
  const { region, instances } = emulator.options;
  console.log(`Amazon Connect phone-number emulator listening on ${emulator.url}`);
  console.log(`Instances: ${instances.join(', ')}; control surface: ${emulator.url}/__emulator/state`);
  console.log(
    `Try: AWS_ENDPOINT_URL_CONNECT=${emulator.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test ` +
      `aws connect list-phone-numbers-v2 --region ${region} --endpoint-url ${emulator.url}`,
  );
  const stop = (): void => {
    emulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  void main();
}
