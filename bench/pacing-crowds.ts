/**
 * Benchmark 7, pacing crowds: the pacing alone (lambda/retry.ts through harness/crowd-simulation.ts: the real
 * withRetries and CrowdPacer against a 2 requests/s, burst-5 token bucket in virtual time, no SDK, emulator or
 * Provider framework), 100 runs of each crowd with different random draws. Benchmark 6 (large-stack.ts) runs
 * the whole handler 3 times a case and judges the issue's targets; this shows how those figures spread over
 * many runs, and crowds benchmark 6 does not deploy: stacks of other apps of another size, which nothing tells
 * a stack's handlers about. Every run must get every caller through (judged); the rest is for information.
 */
import { CrowdGroup, crowdAgainstBucket, boundMs, CrowdOptions } from '../harness/crowd-simulation';
import { CONNECT_PACING, CrowdPacing } from '../lambda/retry';
import { BenchmarkReport, fixed, markdownTable, ResultRow, row } from './shared';

const RUNS = 100;

const crowd = (stack: number, account = stack): CrowdPacing => ({ ...CONNECT_PACING, crowd: stack, accountCrowd: account });
const stacks = (count: number, callers: number, account?: number): CrowdGroup[] => Array.from({ length: count }, () => ({ callers, pacing: crowd(callers, account) }));

interface Crowd {
  readonly label: string;
  readonly groups: CrowdGroup[];
  readonly options?: CrowdOptions;
  /** Calls the rate limit must serve: callers, twice that when each makes a second call on the same limit. */
  readonly calls: number;
  /** The issue's targets for the same shape in benchmark 6, counted here run by run. */
  readonly targets?: { readonly ratio: number; readonly throttledPerCaller: number };
}

const CROWDS: Crowd[] = [
  { label: '400 in one stack', groups: stacks(1, 400), calls: 400, targets: { ratio: 1.1, throttledPerCaller: 3 } },
  { label: '100 in one stack', groups: stacks(1, 100), calls: 100, targets: { ratio: 1.15, throttledPerCaller: 3 } },
  { label: '3 stacks x 150 of one app', groups: stacks(3, 150, 450), calls: 450, targets: { ratio: 1.1, throttledPerCaller: 4 } },
  { label: '400, one limit for all operations', groups: stacks(1, 400), options: { secondCallPerCaller: true }, calls: 800, targets: { ratio: 1.1, throttledPerCaller: 6 } },
  { label: '3 stacks x 150 of three apps', groups: stacks(3, 150), calls: 450 },
  { label: '400 and 30 of another app', groups: [...stacks(1, 400), ...stacks(1, 30)], calls: 430 },
  { label: '400 and 100 of another app', groups: [...stacks(1, 400), ...stacks(1, 100)], calls: 500 },
];

interface Spread {
  readonly median: number;
  readonly p95: number;
  readonly worst: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), worst: sorted[sorted.length - 1] };
}

const show = (s: Spread, digits = 2) => `${fixed(s.median, digits)} / ${fixed(s.p95, digits)} / ${fixed(s.worst, digits)}`;

export async function pacingCrowdsBenchmark(): Promise<BenchmarkReport> {
  const rows: ResultRow[] = [];
  const table: string[][] = [];
  for (const c of CROWDS) {
    const outcomes = [];
    for (let run = 1; run <= RUNS; run++) outcomes.push(await crowdAgainstBucket(c.groups, { ...c.options, seed: run * 7919 }));
    const ratios = spread(outcomes.map((o) => o.endMs / boundMs(c.calls)));
    const throttled = spread(outcomes.map((o) => o.throttledPerCaller));
    const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
    const over = c.targets ? outcomes.filter((o) => o.endMs / boundMs(c.calls) > c.targets!.ratio || o.throttledPerCaller > c.targets!.throttledPerCaller).length : undefined;
    const label = `7 pacing crowds: ${c.label}`;
    rows.push(
      row(label, `callers that failed, in ${RUNS} runs`, String(failed), { text: '0', met: failed === 0 }),
      row(label, 'wall time / bound, median / 95th percentile / worst', show(ratios)),
      row(label, 'throttled attempts per caller, median / 95th percentile / worst', show(throttled, 1)),
    );
    if (over !== undefined) rows.push(row(label, `runs over the issue's targets (<= ${c.targets!.ratio}, <= ${c.targets!.throttledPerCaller})`, `${over} of ${RUNS}`));
    table.push([c.label, show(ratios), show(throttled, 1), over === undefined ? '' : `${over} of ${RUNS}`, String(failed)]);
    process.stderr.write(`  ${c.label}: wall / bound ${show(ratios)}, throttled ${show(throttled, 1)}${over === undefined ? '' : `, ${over} over`}\n`);
  }
  const details = [
    `The pacing alone (harness/crowd-simulation.ts): the real retry code against a token bucket of 2 requests/s, burst 5, in ` +
      `virtual time; callers start within half a second; ${RUNS} runs of each crowd, with different random draws. "One limit for ` +
      'all operations": every caller makes a second call on the same limit a second after its first went through, with the ' +
      "looks' backoff. Bound: max(0, calls - 5) / 2 s.",
    '',
    markdownTable(['crowd', 'wall / bound (median / p95 / worst)', 'throttled per caller (median / p95 / worst)', "runs over the issue's targets", 'failed callers'], table),
    '',
    'Crowds nobody announces cost wall time when their size is far from one stack\'s worth: a caller that jumps assumes one more ' +
      'stack like its own, so a small extra crowd leaves its last callers in a round sized for a whole stack (400 and 30), and a ' +
      'crowd between one and two stacks needs a second jump. Stacks of one app announce each other (NUMBERS_IN_ACCOUNT).',
  ].join('\n');
  return { title: 'Pacing crowds', rows, details };
}
