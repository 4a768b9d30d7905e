/**
 * Helpers the benchmarks share: the machine description, small statistics, the benchmark world (a
 * synthesized stack, the Connect emulator and the harness that plays CloudFormation through the real
 * handler bundle, each Lambda invocation in a process of its own), and the shape of a result row.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { CloudAssembly, LambdaRunner, StackSimulator, synthesizeToDirectory } from '../harness';
import { ConnectEmulator, ConnectEmulatorOptions, InventoryNumber, startConnectEmulator } from '../emulator';
import { CloudFormationApi, startCloudFormationApi } from '../harness/cloudformation-api';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps } from '../lib';

/** The package root (bench/ compiles in place, so this file runs from bench/). */
export const ROOT = path.join(__dirname, '..');
export const HANDLER_BUNDLE = path.join(ROOT, 'dist', 'handler', 'index.js');

export const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
export const OTHER_INSTANCE_ID = '66666666-7777-4888-9999-000000000000';
export const STACK_NAME = 'BenchNumbers';

/** One line of the results table. `status` is MET or MISSED for a figure with a target, INFO otherwise. */
export interface ResultRow {
  readonly benchmark: string;
  readonly metric: string;
  readonly value: string;
  readonly target?: string;
  readonly status: 'MET' | 'MISSED' | 'INFO';
}

/** What one benchmark hands back: table rows, and Markdown detail for BENCHMARKS.md. */
export interface BenchmarkReport {
  readonly title: string;
  readonly rows: ResultRow[];
  readonly details: string;
}

export function row(benchmark: string, metric: string, value: string, target?: { text: string; met: boolean }): ResultRow {
  return { benchmark, metric, value, target: target?.text, status: target === undefined ? 'INFO' : target.met ? 'MET' : 'MISSED' };
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly date: string;
  readonly loadAverage: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((load) => load.toFixed(2)).join(' / '),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

export function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(1)} s`;
}

export function fixed(value: number, digits = 2): string {
  return value.toFixed(digits);
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Area codes of the bench numbers: 100 numbers each, so up to 800 distinct numbers. */
const AREA_CODES = ['206', '425', '509', '360', '253', '564', '208', '503'];

/** `count` distinct US numbers from the fictional 555-01xx blocks, with an inventory that offers them. */
export function benchNumbers(count: number): InventoryNumber[] {
  if (count > AREA_CODES.length * 100) {
    throw new Error(`benchNumbers offers at most ${AREA_CODES.length * 100} numbers, not ${count}.`);
  }
  const numbers: InventoryNumber[] = [];
  for (let i = 0; i < count; i++) {
    // 100 DIDs per area code: +1206555 0100..0199, then +1425555 0100..0199, ...
    const area = AREA_CODES[Math.floor(i / 100)];
    numbers.push({ phoneNumber: `+1${area}5550${100 + (i % 100)}`, countryCode: 'US', type: 'DID' });
  }
  return numbers;
}

export interface BenchStackOptions {
  /** Default STACK_NAME. */
  readonly stackName?: string;
  /** Index of the stack's first number in benchNumbers(), so that several stacks claim different numbers. Default 0. */
  readonly firstNumber?: number;
  /** Number i depends on number i - dependencyStride (addDependency), as a user caps how many are created at once. */
  readonly dependencyStride?: number;
}

/** Synthesizes a stack of `count` numbers (construct ids N0, N1, ...) and loads its cloud assembly. */
export function synthesizeBenchStack(
  count: number,
  props: (index: number, phoneNumber: string) => Partial<ClaimedPhoneNumberProps> = () => ({}),
  options: BenchStackOptions = {},
): CloudAssembly {
  return synthesizeBenchApp([{ ...options, count }], props);
}

/**
 * Synthesizes one app of stacks, each of `count` numbers from its `firstNumber` on (construct ids N0, N1, ...
 * in every stack), and loads its cloud assembly: stacks of one app deploying at once, as a CDK Pipelines stage
 * or `cdk deploy --all --concurrency` deploys them.
 */
export function synthesizeBenchApp(
  stacks: (BenchStackOptions & { readonly count: number })[],
  props: (index: number, phoneNumber: string) => Partial<ClaimedPhoneNumberProps> = () => ({}),
): CloudAssembly {
  const directory = synthesizeToDirectory((app) => {
    for (const options of stacks) {
      const first = options.firstNumber ?? 0;
      const numbers = benchNumbers(first + options.count).slice(first);
      const stack = new Stack(app, options.stackName ?? STACK_NAME);
      const constructs: ClaimedPhoneNumber[] = [];
      numbers.forEach((number, index) => {
        const claimed = new ClaimedPhoneNumber(stack, `N${index}`, { phoneNumber: number.phoneNumber, instanceId: INSTANCE_ID, ...props(index, number.phoneNumber) });
        const stride = options.dependencyStride;
        if (stride !== undefined && index >= stride) claimed.node.addDependency(constructs[index - stride]);
        constructs.push(claimed);
      });
    }
  });
  return CloudAssembly.load(directory);
}

export interface BenchWorld {
  readonly emulator: ConnectEmulator;
  /** CloudFormation's read API for the handler (harness/cloudformation-api.ts), with its call log. */
  readonly cloudFormation: CloudFormationApi;
  readonly runner: LambdaRunner;
  readonly stack: StackSimulator;
  readonly assembly: CloudAssembly;
  close(): Promise<void>;
}

/**
 * The quotas of the account the benchmarks measure: raised, as for any account that runs this many numbers
 * (the emulator's defaults, 5 numbers a target and 200% of that in claims and releases, would refuse or fail
 * most claims of a benchmark). Benchmarks measure time and calls, not quotas.
 */
export const BENCH_ACCOUNT = { claimedNumberLimit: false, claimReleaseBudget: false } as const;

/** The emulator on 127.0.0.1 and the harness around an assembly, as test/e2e/world.ts builds them. */
export async function startBenchWorld(assembly: CloudAssembly, emulatorOptions: ConnectEmulatorOptions): Promise<BenchWorld> {
  const count = assembly.claimedNumbers(STACK_NAME).length;
  const emulator = await startConnectEmulator({
    instances: [INSTANCE_ID, OTHER_INSTANCE_ID],
    // The first 100 bench numbers at least, so that an update can replace a number with another one (+12065550199).
    inventory: benchNumbers(Math.max(count, 100)),
    ...BENCH_ACCOUNT,
    ...emulatorOptions,
  });
  // The handler reads its own stack (DescribeStacks, GetTemplate, ...) for replacements and deletes: without a
  // stand-in it would retry an unreachable CloudFormation endpoint until its deadline and fail (there is no network).
  const cloudFormation = await startCloudFormationApi();
  const runner = new LambdaRunner({ environment: { ...lambdaEnvironment(emulator.url), AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url } });
  const stack = new StackSimulator(assembly, STACK_NAME, runner);
  cloudFormation.register(stack);
  return { emulator, cloudFormation, runner, stack, assembly, close: async () => (await emulator.close(), await cloudFormation.close()) };
}

/** The environment the harness gives every invocation: Region, fake credentials, the emulator endpoint. */
export function lambdaEnvironment(url: string): { [name: string]: string } {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-key',
    AWS_ENDPOINT_URL_CONNECT: url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export function removeDirectory(directory: string): void {
  fs.rmSync(directory, { recursive: true, force: true });
}
