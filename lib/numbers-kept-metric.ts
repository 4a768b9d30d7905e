/**
 * The metric the handler writes each time a Delete keeps a number instead of releasing it (Embedded Metric
 * Format in its log: no API call). Every kept number is billed daily and counts against the claim budget, so
 * it deserves an alarm: `ClaimedPhoneNumber.metricNumbersKept(stack).createAlarm(...)`.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { KeptMetric } from './shared/contract';

export function metricNumbersKept(stack: Stack, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: KeptMetric.NAMESPACE,
    metricName: KeptMetric.NAME,
    dimensionsMap: { [KeptMetric.STACK_DIMENSION]: stack.stackName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}
