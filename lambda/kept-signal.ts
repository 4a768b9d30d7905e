/**
 * A kept number is never silent: one WARN line that says which number, why, and what to do, carrying a
 * CloudWatch metric in Embedded Metric Format (CloudWatch Logs extracts it from the log line: no API call,
 * no permission). The metric has two dimension sets, by stack and by stack and reason, so that one alarm
 * on the stack's total catches every kept number (ClaimedPhoneNumber.metricNumbersKept), and the reason
 * tells an unreadable stack (an SCP denying the reads, say) from a rollback.
 */
import { KeptMetric, KeptReason } from '../lib/shared/contract';
import { Logger } from './logger';

export interface KeptNumber {
  readonly phoneNumberArn: string;
  readonly phoneNumber?: string;
  readonly reason: string;
  /** The owner tag value: `<stack or scope>/<logical id>`. */
  readonly owner: string;
  /** The stack name, the metric's dimension. */
  readonly stackName: string;
  /** Epoch ms. */
  readonly at: number;
}

/** What a user does about a number kept for `reason`. */
export function whatToDo(reason: string): string {
  if (reason === KeptReason.STACK_UNREADABLE) {
    return (
      'CloudFormation could not be read (throttled until the deadline, denied by a policy, or unreachable), so the ' +
      'handler could not tell a rollback from a delete. Check that the provider role may call cloudformation:DescribeStacks, ' +
      'GetTemplate and DescribeStackResource, then run `npx cdk-claimed-phone-number list` and release it with ' +
      '`npx cdk-claimed-phone-number release` if no stack uses it.'
    );
  }
  return (
    'The stack did not let the number go (a rollback, a parent rolling back, or a request delivered after the stack ' +
    'moved on). The next deploy that declares it takes it back without claiming; otherwise `npx cdk-claimed-phone-number list` ' +
    'shows it and `npx cdk-claimed-phone-number release --state kept` releases it.'
  );
}

/** Writes the WARN line with its metric. */
export function signalKept(log: Logger, kept: KeptNumber): void {
  log.warn('Kept the number instead of releasing it', {
    phoneNumberArn: kept.phoneNumberArn,
    phoneNumber: kept.phoneNumber,
    owner: kept.owner,
    reason: kept.reason,
    whatToDo: whatToDo(kept.reason),
    _aws: {
      Timestamp: kept.at,
      CloudWatchMetrics: [
        {
          Namespace: KeptMetric.NAMESPACE,
          Dimensions: [[KeptMetric.STACK_DIMENSION], [KeptMetric.STACK_DIMENSION, KeptMetric.REASON_DIMENSION]],
          Metrics: [{ Name: KeptMetric.NAME, Unit: 'Count' }],
        },
      ],
    },
    [KeptMetric.STACK_DIMENSION]: kept.stackName,
    [KeptMetric.REASON_DIMENSION]: kept.reason,
    [KeptMetric.NAME]: 1,
  });
}
