/**
 * Benchmark 4, synth scale: synthesizing stacks of 1, 10, 100 and 200 numbers in-process with
 * aws-cdk-lib, as `cdk synth` does. The stack shares one provider (two functions, their role, log groups
 * and the Provider framework) however many numbers it has, so the resource count should grow by exactly
 * one per number and the provider's resources stay constant. Synth time should grow no worse than
 * linearly: the time per number at 200 numbers must not exceed the time per number at 100.
 *
 * Each size is synthesized 3 times, sizes interleaved, after one untimed warm-up synth (the first synth
 * in a process pays for loading and compiling aws-cdk-lib, which no later synth does); medians reported.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ClaimedPhoneNumber } from '../lib';
import { PROVIDER_ID } from '../lib/claimed-phone-number-provider';
import { RESOURCE_TYPE } from '../lib/shared/contract';
import { BenchmarkReport, benchNumbers, fixed, INSTANCE_ID, markdownTable, median, ms, removeDirectory, row } from './shared';

export const SIZES = [1, 10, 100, 200];
const REPEATS = 3;

interface SynthSample {
  readonly ms: number;
  readonly resources: number;
  readonly numberResources: number;
  readonly providerResources: number;
}

function synthOnce(count: number): SynthSample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimed-phone-number-bench-synth-'));
  try {
    const started = process.hrtime.bigint();
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    const stack = new Stack(app, 'BenchSynth');
    for (const number of benchNumbers(count)) {
      new ClaimedPhoneNumber(stack, `N${number.phoneNumber.slice(1)}`, { phoneNumber: number.phoneNumber, instanceId: INSTANCE_ID });
    }
    const assembly = app.synth();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    const template = assembly.getStackByName('BenchSynth').template as { Resources: { [id: string]: { Type: string; Metadata?: { [key: string]: unknown } } } };
    const resources = Object.values(template.Resources);
    return {
      ms: elapsed,
      resources: resources.length,
      numberResources: resources.filter((resource) => resource.Type === RESOURCE_TYPE).length,
      providerResources: resources.filter((resource) => String(resource.Metadata?.['aws:cdk:path'] ?? '').startsWith(`BenchSynth/${PROVIDER_ID}/`)).length,
    };
  } finally {
    removeDirectory(outdir);
  }
}

export async function synthScaleBenchmark(): Promise<BenchmarkReport> {
  synthOnce(1);
  const samples = new Map<number, SynthSample[]>(SIZES.map((size) => [size, []]));
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const size of SIZES) samples.get(size)!.push(synthOnce(size));
  }
  const timeOf = (size: number) => median(samples.get(size)!.map((sample) => sample.ms));
  const last = (size: number) => samples.get(size)![0];
  const providerCounts = new Set(SIZES.map((size) => last(size).providerResources));
  const providerConstant = providerCounts.size === 1;
  const onePerNumber = SIZES.every((size) => last(size).resources - last(size).numberResources === last(1).resources - 1);
  // Time per number at 200 over time per number at 100: 1.0 is exactly linear, below 1 is a fixed cost
  // being spread out, above 1 means each number costs more the more there are.
  const perNumberRatio = timeOf(200) / 200 / (timeOf(100) / 100);
  const marginal100to200 = (timeOf(200) - timeOf(100)) / 100;
  const marginal10to100 = (timeOf(100) - timeOf(10)) / 90;
  const rows = [
    row('4 synth scale', 'synth time 1 / 10 / 100 / 200 numbers', SIZES.map((size) => ms(timeOf(size))).join(' / ')),
    row('4 synth scale', 'resources 1 / 10 / 100 / 200 numbers', SIZES.map((size) => String(last(size).resources)).join(' / ')),
    row('4 synth scale', 'provider resources, constant', [...providerCounts].join(', '), { text: 'constant', met: providerConstant && onePerNumber }),
    row('4 synth scale', 'time per number at 200 / at 100', fixed(perNumberRatio), { text: '<= 1.00 (linear)', met: perNumberRatio <= 1 }),
  ];
  const details = [
    `In-process synth with aws-cdk-lib (new App({ outdir }) ... app.synth()), median of ${REPEATS}, sizes interleaved, after one warm-up synth.`,
    '',
    markdownTable(
      ['numbers', 'synth time (median)', 'per number', 'resources', 'Custom::ClaimedPhoneNumber', 'provider resources'],
      SIZES.map((size) => [
        String(size),
        ms(timeOf(size)),
        `${fixed(timeOf(size) / size, 1)} ms`,
        String(last(size).resources),
        String(last(size).numberResources),
        String(last(size).providerResources),
      ]),
    ),
    '',
    `Linear-fit check: time per number at 200 / at 100 = ${fixed(perNumberRatio)} (<= 1.00 means no worse than linear). ` +
      `Marginal cost per added number: ${fixed(marginal10to100, 2)} ms between 10 and 100, ${fixed(marginal100to200, 2)} ms between 100 and 200.`,
  ].join('\n');
  return { title: 'Synth scale', rows, details };
}
