/**
 * cdk-nag on aws-cdk-lib releases older than the installed one, simulated on it: 2.254-2.268, whose
 * Validations.acknowledge rejects ids with more than one `::` (as IAM5 finding ids about ARNs have), and
 * releases without acknowledge at all. The provider's acknowledgements must still reach cdk-nag v3 (the
 * acknowledged-rules construct metadata) and cdk-nag v2 (cdk_nag.rules_to_suppress on each resource).
 * scripts/ci-pack-install.sh runs cdk-nag v2 against the real oldest release of the peer range.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Acknowledgment, App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ContactCenterNumbersStack } from '../../bin/example-stack';

const realAcknowledge = Validations.prototype.acknowledge;

/** As aws-cdk-lib 2.254-2.268 do: an id with more than one `::` is an error (UnscopedValidationError named so). */
function acknowledgeAsBefore2269(this: Validations, ...acks: Acknowledgment[]): void {
  for (const ack of acks) {
    if (ack.id.split('::').length > 2) {
      const error = new Error(`Invalid validation rule ID '${ack.id}'. The '::' delimiter is reserved for separating the prefix from the rule name.`);
      error.name = 'InvalidValidationId';
      throw error;
    }
    realAcknowledge.call(this, ack);
  }
}

function withExampleStack<T>(check: (stack: Stack) => T): T {
  // An App makes its cdk.out directory when it is constructed: give it one to remove.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-older-'));
  try {
    return check(new ContactCenterNumbersStack(new App({ outdir }), 'ContactCenterNumbers'));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function findings(stack: Stack): string[] {
  return new AwsSolutionsChecks().validateScope(stack).violations.flatMap((v) => v.violatingResources.map((r) => `${r.constructPath} ${v.ruleName}`));
}

interface NagV2Rule {
  id: string;
  reason: string;
  applies_to?: string[];
}

function nagV2Rules(stack: Stack): NagV2Rule[] {
  return stack.node
    .findAll()
    .filter(CfnResource.isCfnResource)
    .flatMap((r) => ((r.getMetadata('cdk_nag') as { rules_to_suppress?: NagV2Rule[] } | undefined)?.rules_to_suppress ?? []));
}

afterEach(() => jest.restoreAllMocks());

test('cdk-nag v3 reports no finding where acknowledge rejects ids with more than one "::"', () => {
  // GIVEN acknowledge as aws-cdk-lib 2.254-2.268 have it
  jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(acknowledgeAsBefore2269);

  // WHEN the AwsSolutions pack checks the example stack
  const found = withExampleStack(findings);

  // THEN nothing is reported: the rejected ids were recorded as acknowledge() records them
  expect(found).toEqual([]);
});

test('cdk-nag v2 gets each rejected IAM5 acknowledgement as a rule with applies_to, on the resources it concerns', () => {
  // GIVEN acknowledge as aws-cdk-lib 2.254-2.268 have it
  jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(acknowledgeAsBefore2269);

  // WHEN the example stack is built
  const rules = withExampleStack(nagV2Rules);

  // THEN the phone-number IAM5 finding is suppressed in cdk-nag v2's format (rule id and finding apart)
  const phoneNumbers = rules.filter((r) => r.applies_to?.[0]?.includes(':phone-number/*'));
  expect(phoneNumbers.length).toBeGreaterThan(0);
  for (const rule of phoneNumbers) {
    expect(rule.id).toBe('AwsSolutions-IAM5');
    expect(rule.applies_to).toEqual(['Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:phone-number/*']);
    expect(rule.reason.length).toBeGreaterThanOrEqual(10);
  }
  // AND no id holds a finding (cdk-nag v2 rejects such a suppression)
  expect(rules.filter((r) => r.id.includes('['))).toEqual([]);
});

test('where acknowledge accepts every id, no cdk_nag metadata is written', () => {
  // GIVEN the installed aws-cdk-lib, whose acknowledge takes every id
  // WHEN the example stack is built
  const rules = withExampleStack(nagV2Rules);

  // THEN the template is left as it was: acknowledge() alone records the acknowledgements
  expect(rules).toEqual([]);
});

test('cdk-nag v2 gets every acknowledgement on a release without Validations.acknowledge', () => {
  // GIVEN Validations without acknowledge (as aws-cdk-lib 2.251 and older have it, where only cdk-nag v2 runs)
  Object.defineProperty(Validations.prototype, 'acknowledge', { value: undefined, configurable: true, writable: true });
  let rules: NagV2Rule[];
  try {
    // WHEN the example stack is built
    rules = withExampleStack(nagV2Rules);
  } finally {
    Object.defineProperty(Validations.prototype, 'acknowledge', { value: realAcknowledge, configurable: true, writable: true });
  }

  // THEN all of them are in cdk-nag v2's format, those without a "::" in the id included
  const suppressed = new Set(rules.map((r) => `${r.id}${r.applies_to ? ` ${r.applies_to.join()}` : ''}`));
  expect(suppressed).toContain('AwsSolutions-SF2');
  expect(suppressed).toContain('AwsSolutions-IAM5 Resource::*');
  expect(suppressed).toContain('AwsSolutions-IAM5 Resource::<ClaimedPhoneNumberProviderframeworkonTimeout1ADFAE91.Arn>:*');
  // The 13 acknowledgements of cdk-nag.test.ts: Resource::* twice, the two handler grants on both framework roles
  expect(suppressed.size).toBe(10);
});
