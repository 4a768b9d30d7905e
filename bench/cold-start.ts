/**
 * Benchmark 3, cold start: what a fresh Lambda container pays before the handler can run.
 * - The bundle's size, raw and gzipped (Lambda downloads and unpacks the zipped asset).
 * - Module initialisation: the time around `require()` inside a fresh `node` process, median of 20, for
 *   (a) the handler bundle (dist/handler/index.js, whose module scope also builds the ConnectClient), and
 *   (b) the unbundled SDK from node_modules: `require('@aws-sdk/client-connect')` plus
 *       `new ConnectClient({ maxAttempts: 1 })`, which is what the handler needs before its first call.
 *   (c) for reference, the handler compiled by tsc but not bundled (lambda/index.js), which loads the SDK
 *       from node_modules the way a non-bundled deployment would.
 *   The three are interleaved (a, b, c, a, b, c, ...) so that a noisy neighbour slows all of them alike.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { BenchmarkReport, fixed, HANDLER_BUNDLE, markdownTable, median, ms, ROOT, row } from './shared';

export const SAMPLES = 20;
export const TARGET_SHARE = 0.6;

interface Subject {
  readonly name: string;
  /** Code run inside the fresh process; it must print the init time in ms. */
  readonly script: string;
}

function timedRequire(body: string): string {
  return `const t0 = process.hrtime.bigint(); ${body}; const t1 = process.hrtime.bigint(); process.stdout.write(String(Number(t1 - t0) / 1e6));`;
}

export function coldStartSubjects(): Subject[] {
  const sdk = require.resolve('@aws-sdk/client-connect', { paths: [ROOT] });
  return [
    { name: 'bundle (dist/handler/index.js)', script: timedRequire(`require(${JSON.stringify(HANDLER_BUNDLE)})`) },
    {
      name: 'unbundled @aws-sdk/client-connect + new ConnectClient',
      script: timedRequire(`const { ConnectClient } = require(${JSON.stringify(sdk)}); new ConnectClient({ maxAttempts: 1 })`),
    },
    { name: 'unbundled handler (lambda/index.js, tsc output)', script: timedRequire(`require(${JSON.stringify(path.join(ROOT, 'lambda', 'index.js'))})`) },
  ];
}

/** One fresh process: its own init time, and the wall time of the whole process (spawn to exit). */
export function sampleOnce(subject: Subject): { initMs: number; processMs: number } {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['-e', subject.script], {
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', OPERATION_TIMEOUT_SECONDS: '1500', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { initMs: Number(out), processMs };
}

export async function coldStartBenchmark(): Promise<BenchmarkReport> {
  const bytes = fs.readFileSync(HANDLER_BUNDLE);
  const gzipped = zlib.gzipSync(bytes, { level: 9 }).length;
  const subjects = coldStartSubjects();
  const samples = subjects.map(() => [] as { initMs: number; processMs: number }[]);
  // One untimed round first: the first read of each file from disk is not what a container pays twice.
  subjects.forEach((subject) => sampleOnce(subject));
  for (let i = 0; i < SAMPLES; i++) {
    subjects.forEach((subject, index) => samples[index].push(sampleOnce(subject)));
  }
  const initMedians = samples.map((list) => median(list.map((sample) => sample.initMs)));
  const share = initMedians[0] / initMedians[1];
  const rows = [
    row('3 cold start', 'bundle size', `${bytes.length} B (${gzipped} B gzipped)`),
    row('3 cold start', `bundle init / unbundled SDK init (median of ${SAMPLES})`, `${fixed(share * 100, 0)} % (${ms(initMedians[0])} / ${ms(initMedians[1])})`, {
      text: `<= ${TARGET_SHARE * 100} %`,
      met: share <= TARGET_SHARE,
    }),
  ];
  const details = [
    `Bundle: ${bytes.length} bytes, ${gzipped} bytes gzipped (level 9). Init = time around require() in a fresh node process, ` +
      `median of ${SAMPLES}, subjects interleaved. Process = spawn to exit of that process, for scale.`,
    '',
    markdownTable(
      ['subject', 'init median', 'init min', 'init max', 'process median', 'init / unbundled SDK'],
      subjects.map((subject, index) => {
        const inits = samples[index].map((sample) => sample.initMs);
        return [
          subject.name,
          ms(initMedians[index]),
          ms(Math.min(...inits)),
          ms(Math.max(...inits)),
          ms(median(samples[index].map((sample) => sample.processMs))),
          `${fixed((initMedians[index] / initMedians[1]) * 100, 0)} %`,
        ];
      }),
    ),
  ].join('\n');
  return { title: 'Cold start', rows, details };
}
