/**
 * Benchmark 5, Connect calls per lifecycle operation, against the fewest each operation needs. Every call
 * counts against the account's shared 2 requests/second, so a call the handler could do without slows
 * every other deployment in the account. Played through the harness on one number, rate limit off (so
 * no call is a retry of a throttled one), emulator default latencies (claim and move 1 s, metadata 0.5 s).
 *
 * The minimum for each operation, and why:
 * - create: ClaimPhoneNumber, then one DescribePhoneNumber that sees CLAIMED (the claim is asynchronous,
 *   and the stack must not go on with a number that is not claimed yet).
 * - description: UpdatePhoneNumberMetadata, then one DescribePhoneNumber that sees it applied.
 * - tags added or changed: TagResource. Tags removed: UntagResource. Both synchronous, nothing to wait for.
 * - move (new instance or target): UpdatePhoneNumber, then one DescribePhoneNumber that sees CLAIMED at the
 *   new target.
 * - move and description: Connect refuses a metadata update while the move is IN_PROGRESS, so: move,
 *   a Describe that sees it done, the metadata update, a Describe that sees it applied: 4.
 * - replacement (new phone number): a create of the new number (2), then CloudFormation's cleanup Delete
 *   of the old one (2).
 * - delete: DescribePhoneNumber to read the owner tag, then ReleasePhoneNumber: 2. Connect's own minimum
 *   is 1 (Release); the handler reads first on purpose, because it never releases a number it does not
 *   own (ownership.ts). That read is counted as necessary here.
 */
import { CallRecord } from '../emulator';
import { BenchmarkReport, markdownTable, OTHER_INSTANCE_ID, ResultRow, row, startBenchWorld, synthesizeBenchStack } from './shared';

interface Measured {
  readonly operation: string;
  readonly minimum: number;
  readonly calls: CallRecord[];
  readonly status: string;
  /** CloudFormation reads the handler made (all its invocations for this operation), by action. */
  readonly reads: string[];
  /** CloudFormation requests (events) sent to the handler for this operation. */
  readonly events: number;
}

function extra(m: Measured): number {
  return Math.max(0, m.calls.length - m.minimum);
}

function summariseNames(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} x${count}`).join(', ');
}

function summarise(calls: CallRecord[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.operation, (counts.get(call.operation) ?? 0) + 1);
  return [...counts].map(([operation, count]) => `${operation} x${count}`).join(', ');
}

export async function callsPerOperationBenchmark(): Promise<BenchmarkReport> {
  const assembly = synthesizeBenchStack(1, () => ({ description: 'Support line', tags: { team: 'support' } }));
  const world = await startBenchWorld(assembly, { rateLimit: false });
  const measured: Measured[] = [];
  try {
    const stack = world.stack;
    const id = stack.logicalIds()[0];
    const step = async (operation: string, minimum: number, action: () => Promise<{ Status: string }[]>) => {
      const before = world.emulator.calls.length;
      const readsBefore = world.cloudFormation.calls.length;
      const responses = await action();
      const status = responses.every((response) => response.Status === 'SUCCESS') ? 'SUCCESS' : 'FAILED';
      if (process.env.BENCH_VERBOSE && status !== 'SUCCESS') process.stderr.write(`    ${operation}: ${JSON.stringify(responses)}\n`);
      const reads = world.cloudFormation.calls.slice(readsBefore).map((call) => call.action);
      measured.push({ operation, minimum, calls: world.emulator.calls.slice(before), status, reads, events: responses.length });
    };
    const props = () => stack.state(id)!.properties;

    await step('create', 2, async () => [await stack.create(id)]);
    await step('update: description', 2, async () => [await stack.update(id, { ...props(), PhoneNumberDescription: 'Support (24/7)' })]);
    await step('update: tag added', 1, async () => [await stack.update(id, { ...props(), Tags: { team: 'support', tier: '1' } })]);
    await step('update: tag removed', 1, async () => [await stack.update(id, { ...props(), Tags: { team: 'support' } })]);
    await step('update: move to another instance', 2, async () => [await stack.update(id, { ...props(), InstanceId: OTHER_INSTANCE_ID })]);
    await step('update: move and description', 4, async () => [
      await stack.update(id, { ...props(), InstanceId: stack.declaredProperties(id).InstanceId, PhoneNumberDescription: 'Support' }),
    ]);
    await step('update: new phone number (replacement + cleanup)', 4, async () => {
      const replaced = await stack.update(id, { ...props(), PhoneNumber: '+12065550199' });
      return [replaced, ...(await stack.cleanup())];
    });
    await step('delete', 2, async () => {
      const response = await stack.delete(id);
      return [response === 'RETAINED' ? { Status: 'RETAINED' } : response];
    });
  } finally {
    await world.close();
  }

  // No target for the counts, only the comparison; but a lifecycle step that FAILED is a missed target, not information.
  const rows: ResultRow[] = measured.flatMap((m) => [
    row('5 calls per operation', m.operation, `${m.calls.length} (minimum ${m.minimum}, ${extra(m)} extra)${m.status === 'SUCCESS' ? '' : ' FAILED'}`, {
      text: 'SUCCESS',
      met: m.status === 'SUCCESS',
    }),
    row('5 CloudFormation reads per event', m.operation, `${(m.reads.length / Math.max(1, m.events)).toFixed(1)}${m.reads.length > 0 ? ` (${summariseNames(m.reads)})` : ''}`),
  ]);
  const details = [
    'One number through its whole lifecycle, rate limit off, emulator default latencies. "Minimum" is defined in the table below and in bench/calls-per-operation.ts.',
    '',
    markdownTable(
      ['operation', 'Connect calls', 'minimum', 'extra', 'calls made', 'CloudFormation events', 'CloudFormation reads', 'result'],
      measured.map((m) => [
        m.operation,
        String(m.calls.length),
        String(m.minimum),
        String(extra(m)),
        summarise(m.calls),
        String(m.events),
        m.reads.length > 0 ? summariseNames(m.reads) : '0',
        m.status,
      ]),
    ),
    '',
    'CloudFormation reads: what the handler asked CloudFormation about its own stack (harness/cloudformation-api.ts) over every ' +
      'invocation (onEvent and isComplete) of the step, per event CloudFormation sent (a replacement is an Update and the cleanup ' +
      "Delete of the old number). A Create of a declared number reads nothing; an Update and a Delete read DescribeStacks once (the " +
      "release rule, lambda/release-rule.ts: is the stack rolling back?); a nested stack's Delete reads each parent's status too " +
      '(not measured here: the bench stack is not nested).',
  ].join('\n');
  return { title: 'Connect calls per lifecycle operation', rows, details };
}
