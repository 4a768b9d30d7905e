/** The prose of BENCHMARKS.md that does not change from run to run, and the explanations of missed targets. */
import { ResultRow } from './shared';

export function explanations(rows: ResultRow[]): string {
  const missed = (prefix: string) => rows.some((r) => r.benchmark.startsWith(prefix) && r.status === 'MISSED');
  return [
    '## How the waiter polls, and why',
    '',
    "CloudFormation's own resources are polled every 30 s, and the aws-cdk-lib Provider's waiter defaults to 5 s. This construct keeps the " +
      'waiter at 5 s (lib/claimed-phone-number-provider.ts) but does not rely on it: each isComplete invocation polls DescribePhoneNumber ' +
      'itself, 1 s between the first three polls and growing to 5 s, for up to 60 s (pollDelayMs in lambda/phone-number-handler.ts), ' +
      "and only then hands back to the waiter. Connect's claims and moves usually finish in seconds, so a create is normally done within " +
      "the first isComplete invocation, about a second after Connect finishes, without a Step Functions transition. The waiter's 5 s " +
      "interval matters only for operations longer than a minute; it is not shortened because every poll is a DescribePhoneNumber against " +
      "the account's shared 2 requests/second.",
    '',
    '## Lower bound under the rate limit',
    '',
    'For C accepted (non-throttled) calls at r requests/second with burst b, starting from a full bucket, the lower bound is ' +
      'max(0, C - b) / r seconds: the first b calls are free, every later call waits for a token. Throttled attempts (HTTP 429) take no ' +
      'token in the emulator (as in Connect), so they do not enter C; they are reported separately. The ratio wall time / lower bound ' +
      'says how much of the capacity the handlers left unused; calls per number say how much they spent.',
    '',
    '## What stands in the way of missed targets',
    '',
    ...(missed('1 create')
      ? [
          '- **Create latency.** The time above L is: the onEvent process start before the claim request (fork, Node bootstrap, loading ' +
            'the bundle, SDK set-up; see "Where the time goes before the first Connect call"), plus the detection lag, which the poll ' +
            "schedule sets: the first poll comes 1 s after isComplete starts, then every 1 s, so CLAIMED is seen up to 1 s late, " +
            'about 0.5 s on average. At L = 2 s the target leaves 0.5 s for both. Closing it needs handler changes (outside bench/): ' +
            'time the polls from the moment of the claim rather than from the isComplete start, with a shorter interval around the ' +
            'expected completion; and a smaller bundle that loads faster.',
        ]
      : []),
    ...(missed('2 throughput')
      ? [
          '- **Throughput.** The handlers are separate processes that share nothing, so they find the free capacity only by trying: ' +
            'full-jitter backoff up to 4 s (lambda/retry.ts) leaves tokens unused while every handler sleeps, and each isComplete poll ' +
            'spends a token on a number that may still be IN_PROGRESS.',
        ]
      : []),
    ...(missed('3 cold')
      ? ['- **Cold start.** The bundle still carries code the handler never runs (credential providers for SSO, STS and web identity).']
      : []),
    ...(missed('4 synth') ? ['- **Synth scale.** Synth time grows faster than the number of numbers; see the per-number times above.'] : []),
    ...(missed('5 calls')
      ? ['- **Calls per operation.** An operation took more calls than its minimum: each extra one is a DescribePhoneNumber poll that ' +
          'found the operation still IN_PROGRESS.']
      : []),
    ...(rows.some((r) => r.status === 'MISSED') ? [] : ['Every target was met in this run.']),
  ].join('\n');
}
