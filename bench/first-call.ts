/**
 * Where the time goes before the first Connect call of an onEvent invocation (the part of benchmark 1's
 * "before claim" that the handler controls). Each sample is a fresh process started with fork(), as the
 * harness's LambdaRunner starts one, with the same environment, running first-call-worker.ts; the
 * emulator's call log gives the moment the ClaimPhoneNumber request arrived. A second, warm invocation
 * in the same process shows what the first one paid once.
 */
import { fork } from 'child_process';
import * as path from 'path';
import { startConnectEmulator } from '../emulator';
import { BENCH_ACCOUNT, BenchmarkReport, benchNumbers, HANDLER_BUNDLE, INSTANCE_ID, lambdaEnvironment, markdownTable, median, ms, row } from './shared';

const SAMPLES = 10;

const STAGES: { key: string; label: string; from: string; to: string }[] = [
  { key: 'spawn', label: 'fork() to process start', from: 'forked', to: 'processStart' },
  { key: 'bootstrap', label: 'Node bootstrap (process start to first line of the worker)', from: 'processStart', to: 'firstLine' },
  { key: 'ipc', label: 'event delivered over IPC', from: 'firstLine', to: 'message' },
  { key: 'require', label: 'require(bundle): module init, incl. new ConnectClient', from: 'message', to: 'required' },
  { key: 'handler', label: 'onEvent to http.request (handler, logging, SDK credentials + endpoint + signing)', from: 'invoked', to: 'httpRequest' },
  { key: 'network', label: 'http.request to arrival at Connect (TCP connect, send)', from: 'httpRequest', to: 'arrived' },
];

function createEvent(index: number, phoneNumber: string): { [key: string]: unknown } {
  return {
    RequestType: 'Create',
    RequestId: `bench-first-call-${index}-${phoneNumber}`,
    ResponseURL: 'https://example.invalid/response',
    ResourceType: 'Custom::ClaimedPhoneNumber',
    LogicalResourceId: `N${index}`,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/BenchFirstCall/00000000-0000-4000-8000-000000000000',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework', PhoneNumber: phoneNumber, InstanceId: INSTANCE_ID },
  };
}

export async function firstCallBenchmark(): Promise<BenchmarkReport> {
  const numbers = benchNumbers(SAMPLES * 2).map((number) => number.phoneNumber);
  const emulator = await startConnectEmulator({ ...BENCH_ACCOUNT, rateLimit: false, instances: [INSTANCE_ID], inventory: benchNumbers(SAMPLES * 2) });
  const samples: { [key: string]: number }[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) {
      const before = emulator.calls.length;
      const forked = Date.now();
      const child = fork(path.join(__dirname, 'first-call-worker.js'), [], {
        env: {
          PATH: process.env.PATH ?? '',
          OPERATION_TIMEOUT_SECONDS: '1500',
          ...lambdaEnvironment(emulator.url),
          AWS_LAMBDA_FUNCTION_NAME: 'BenchOnEvent',
          AWS_LAMBDA_FUNCTION_TIMEOUT: '300',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      child.stdout?.resume();
      child.stderr?.resume();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const marks = new Promise<{ [name: string]: number }>((resolve) => child.once('message', resolve));
      child.send({ bundle: HANDLER_BUNDLE, event: createEvent(i, numbers[2 * i]), warmEvent: createEvent(i, numbers[2 * i + 1]) });
      const m = await marks;
      if ('error' in m) throw new Error(`The first-call worker failed: ${String(m.error)}`);
      await exited;
      const calls = emulator.calls.slice(before).filter((call) => call.operation === 'ClaimPhoneNumber');
      samples.push({ ...m, forked, arrived: calls[0].at, warmArrived: calls[1].at });
    }
  } finally {
    await emulator.close();
  }

  const stage = (from: string, to: string) => median(samples.map((sample) => sample[to] - sample[from]));
  const total = stage('forked', 'arrived');
  const warm = stage('warmInvoked', 'warmArrived');
  const rows = [
    row('1b first call', 'fork() to first ClaimPhoneNumber arrival (median)', ms(total)),
    row('1b first call', 'of which require(bundle)', ms(stage('message', 'required'))),
    row('1b first call', 'warm invocation: onEvent to arrival', ms(warm)),
  ];
  const details = [
    `Median of ${SAMPLES} fresh processes, forked like the harness's LambdaRunner with the same environment; rate limit off.`,
    '',
    markdownTable(
      ['stage', 'median'],
      [
        ...STAGES.map((s) => [s.label, ms(stage(s.from, s.to))]),
        ['total: fork() to ClaimPhoneNumber arrival', ms(total)],
        ['for comparison, the second (warm) invocation: onEvent to arrival', ms(warm)],
        ['first onEvent, whole invocation (invoked to answered)', ms(stage('invoked', 'answered'))],
        ['warm onEvent, whole invocation', ms(stage('warmInvoked', 'warmAnswered'))],
      ],
    ),
  ].join('\n');
  return { title: 'Where the time goes before the first Connect call', rows, details };
}
