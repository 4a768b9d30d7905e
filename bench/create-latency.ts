/**
 * Benchmark 1, create latency: the time from CloudFormation's Create event to the completed response,
 * played through the harness (onEvent, then isComplete at the template's own waiter schedule, every
 * invocation a fresh process), divided by the emulator's claim latency L. The ratio says how much the
 * construct adds on top of the time Connect itself needs; 1.0 would be "done the moment Connect is".
 *
 * Each run is split into where the time went, from the emulator's call log and the number's history:
 * - before the claim: Create event to the ClaimPhoneNumber request arriving (process spawn, bundle load,
 *   SDK set-up, first connection);
 * - Connect's own latency L (claim requested to claim completed);
 * - detection lag: claim completed to the DescribePhoneNumber that saw CLAIMED (the poll schedule);
 * - answer: that Describe to the response (isComplete returning, process exit).
 */
import { BenchmarkReport, fixed, markdownTable, median, ms, row, startBenchWorld, synthesizeBenchStack } from './shared';

export const CLAIM_LATENCY_MS = 2000;
export const TARGET_RATIO = 1.25;
const RUNS = 5;

interface Run {
  readonly totalMs: number;
  readonly beforeClaimMs: number;
  readonly connectMs: number;
  readonly detectionLagMs: number;
  readonly answerMs: number;
  readonly describes: number;
  readonly status: string;
}

export async function createLatencyBenchmark(): Promise<BenchmarkReport> {
  const assembly = synthesizeBenchStack(RUNS);
  const waiter = assembly.claimedNumbers('BenchNumbers')[0].provider.waiter;
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    // A fresh emulator per run, without the rate limit: this benchmark measures latency, not throttling.
    const world = await startBenchWorld(assembly, { claimLatencyMs: CLAIM_LATENCY_MS, rateLimit: false });
    try {
      const logicalId = world.stack.logicalIds()[i];
      const started = Date.now();
      const response = await world.stack.create(logicalId);
      const finished = Date.now();
      const calls = world.emulator.calls;
      const claim = calls.find((call) => call.operation === 'ClaimPhoneNumber');
      const describes = calls.filter((call) => call.operation === 'DescribePhoneNumber');
      const record = world.emulator.numbers()[0];
      const claimed = record?.history.find((entry) => entry.event === 'claim-completed');
      const sawClaimed = describes.find((call) => claimed !== undefined && call.at >= claimed.at);
      if (!claim || !claimed || !sawClaimed) {
        throw new Error(`Create did not go claim -> CLAIMED -> Describe: ${JSON.stringify(response)}`);
      }
      runs.push({
        totalMs: finished - started,
        beforeClaimMs: claim.at - started,
        connectMs: claimed.at - claim.at,
        detectionLagMs: sawClaimed.at - claimed.at,
        answerMs: finished - sawClaimed.at,
        describes: describes.length,
        status: response.Status,
      });
    } finally {
      await world.close();
    }
  }

  const ratios = runs.map((run) => run.totalMs / CLAIM_LATENCY_MS);
  const medianRatio = median(ratios);
  const failures = runs.filter((run) => run.status !== 'SUCCESS').length;
  const rows = [
    row('1 create latency', `create time / L (median of ${RUNS}, L = ${CLAIM_LATENCY_MS} ms)`, fixed(medianRatio), {
      text: `<= ${TARGET_RATIO}`,
      met: medianRatio <= TARGET_RATIO && failures === 0,
    }),
    row('1 create latency', 'worst run / L', fixed(Math.max(...ratios))),
    row('1 create latency', 'median before the claim request', ms(median(runs.map((run) => run.beforeClaimMs)))),
    row('1 create latency', 'median detection lag (CLAIMED -> seen)', ms(median(runs.map((run) => run.detectionLagMs)))),
  ];

  const details = [
    `Claim latency L = ${CLAIM_LATENCY_MS} ms, rate limit off, ${RUNS} creates one after the other, each against a fresh emulator.`,
    `The template's waiter (read from the synthesized state machine): first isComplete call at once, then every ${waiter?.intervalSeconds} s ` +
      `(backoff rate ${waiter?.backoffRate}, ${waiter?.maxAttempts} attempts). Every isComplete invocation polls DescribePhoneNumber itself ` +
      '(first 1 s after the operation started, then every 500 ms until 4 s, then growing to 5 s, for up to 60 s), so the waiter interval only matters for operations longer than a minute.',
    '',
    markdownTable(
      ['run', 'total', 'total / L', 'before claim', 'Connect (L)', 'detection lag', 'answer', 'Describe calls', 'status'],
      runs.map((run, index) => [
        String(index + 1),
        ms(run.totalMs),
        fixed(run.totalMs / CLAIM_LATENCY_MS),
        ms(run.beforeClaimMs),
        ms(run.connectMs),
        ms(run.detectionLagMs),
        ms(run.answerMs),
        String(run.describes),
        run.status,
      ]),
    ),
  ].join('\n');
  return { title: 'Create latency', rows, details };
}
