/** The prose of BENCHMARKS.md that does not change from run to run, and the explanations of missed targets. */
import { ResultRow } from './shared';

export function explanations(rows: ResultRow[]): string {
  const missed = (prefix: string) => rows.some((r) => r.benchmark.startsWith(prefix) && r.status === 'MISSED');
  return [
    '## How the waiter polls, and why',
    '',
    "CloudFormation's own resources are polled every 30 s, and the aws-cdk-lib Provider's waiter defaults to 5 s. This construct keeps the " +
      'waiter at 5 s (lib/claimed-phone-number-provider.ts) but does not rely on it: each isComplete invocation polls DescribePhoneNumber ' +
      'itself, first 1 s after the operation started, then every 500 ms until 4 s, then growing to 5 s, for up to 60 s (pollDelayMs in lambda/phone-number-handler.ts), ' +
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
          '- **Create latency.** Above L the time goes to two things (see the per-run table): the onEvent start before the claim ' +
            'request (fork, Node bootstrap, loading the bundle, SDK set-up; broken down in "Where the time goes before the first ' +
            'Connect call", where loading the bundle is the largest part), and the detection lag that the poll schedule sets: the first ' +
            'poll comes 1 s after the operation started and the next ones 500 ms apart, so CLAIMED is seen up to 0.5 s late, about 0.25 s on ' +
            'average. At L = 2 s the target leaves 0.5 s for both together. A smaller bundle (the default credential chain, with its ' +
            "SSO/STS clients, is dead weight on Lambda, which always passes the role's credentials in the environment) shortens the " +
            'first part; the second can only shrink with more frequent polls, and each poll is a DescribePhoneNumber against the ' +
            "account's shared 2 requests/second (benchmarks 2 and 5), so the handler polls every 500 ms only in the first seconds.",
        ]
      : []),
    ...(missed('2 throughput')
      ? [
          '- **Throughput.** The lower bound starts the clock at the Create events, but the harness first starts N onEvent processes ' +
            'at once on this machine (the "first Connect call after" figure): on a 2-core machine that costs seconds, and measured ' +
            'from the first Connect call the ratio is close to 1 (see the sentences under the throughput table). After that, the handlers are separate processes that share nothing and find free capacity ' +
            'only by trying: full-jitter backoff up to 4 s (lambda/retry.ts) leaves tokens unused near the end, when few handlers ' +
            'are still waiting. A smaller, faster-loading bundle shortens the start; on Lambda each container has its own CPU.',
        ]
      : []),
    ...(missed('3 cold')
      ? [
          '- **Cold start.** About a fifth of the bundle is the default credential provider chain (SSO, STS, web identity, ' +
            "process, INI, IMDS providers and the nested SSO/STS clients), which a Lambda function never uses: the role's " +
            "credentials are in the environment. The rest is mostly @aws-sdk/client-connect's schemas and @smithy/core.",
        ]
      : []),
    ...(missed('6 large stacks: 100 numbers, real time')
      ? [
          '- **Large stacks in real time.** The 100 onEvent processes are ready (and warmed up) before the clock starts, but they ' +
            "handle their first request at once on this machine's cores, so the first claim reaches Connect up to seconds after the Create events " +
            '(see the sentence under the large-stack table; on Lambda every container has a CPU share of its own). The rest of ' +
            'the gap is the last claims: the last few callers have been throttled the most, so they wait longest between ' +
            'attempts while Connect has tokens to spare; the virtual-time runs of the same 100 numbers show how much that varies ' +
            '(all runs are listed). On a loaded machine, answers also arrive late and requests run into the 8 s request timeout ' +
            '(retried with the same ClientToken: still one claim per number, but one more accepted call).',
        ]
      : []),
    ...(missedMetric(rows, '6 large stacks: 3 stacks', 'throttled') || missedMetric(rows, '6 large stacks: 400 numbers, one limit', 'throttled')
      ? [
          '- **Throttled attempts with more than one stack, or one limit for all operations.** A caller learns that its crowd is ' +
            'bigger than its stack only by being refused: once in each of the rounds its stack\'s crowd needs (lambda/retry.ts). ' +
            'Stacks of one app know each other\'s numbers (NUMBERS_IN_ACCOUNT), so their callers jump to the right crowd at once; ' +
            'a limit shared by all operations, or stacks of other apps, are learnt one stack\'s worth at a time, each jump costing ' +
            'the callers still waiting a few refusals more. The list of runs above shows by how much the case varies.',
        ]
      : []),
    ...(missedMetric(rows, '6 large stacks: stack delete', '')
      ? [
          '- **Stack delete.** Each Delete reads its number (onEvent), reads the stack (DescribeStacks), releases, and isComplete ' +
            'reads the number again (see "CloudFormation reads per event"); ' +
            'the DescribePhoneNumber bucket serves two calls per number, so onEvent\'s first look paces for 2N. See the delete table.',
        ]
      : []),
    ...(missed('6 large stacks') && !missed('6 large stacks: 100 numbers, real time')
      ? ['- **Large stacks.** See the per-case table and the failure reasons under "Large stacks" above.']
      : []),
    ...(missed('5 calls per operation')
      ? ['- **Calls per operation.** A lifecycle step FAILED: see its row in the table; the harness logs say why.']
      : []),
    ...(missed('4 synth') ? ['- **Synth scale.** Synth time grows faster than the number of numbers; see the per-number times above.'] : []),
    ...(rows.some((r) => r.status === 'MISSED') ? [] : ['Every target was met in this run.']),
  ].join('\n');
}

function missedMetric(rows: ResultRow[], benchmarkPrefix: string, metricPart: string): boolean {
  return rows.some((r) => r.benchmark.startsWith(benchmarkPrefix) && r.metric.includes(metricPart) && r.status === 'MISSED');
}
