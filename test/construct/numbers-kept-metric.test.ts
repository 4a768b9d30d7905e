import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber } from '../../lib';
import { KeptMetric } from '../../lib/shared/contract';
import { newApp, validProps } from './helpers';

describe('the kept-numbers metric', () => {
  test('an alarm in one line watches the metric the handler writes, for its stack', () => {
    // GIVEN a stack with a number
    const stack = new Stack(newApp(), 'Numbers');
    new ClaimedPhoneNumber(stack, 'Support', validProps());
    // WHEN the user alarms on kept numbers
    ClaimedPhoneNumber.metricNumbersKept(stack).createAlarm(stack, 'NumbersKept', { threshold: 1, evaluationPeriods: 1 });
    // THEN the alarm sums the handler's metric, by the stack's name
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: KeptMetric.NAMESPACE,
      MetricName: KeptMetric.NAME,
      Dimensions: [{ Name: KeptMetric.STACK_DIMENSION, Value: 'Numbers' }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });
});
