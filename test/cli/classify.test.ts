/** The state of a number from its description and its stack's facts (no AWS: the facts are given). */
import { ClaimedPhoneNumberSummary } from '@aws-sdk/client-connect';
import { classify } from '../../cli/classify';
import { StackFacts } from '../../cli/stack-directory';

const ARN = 'arn:aws:connect:us-east-1:123456789012:phone-number/11111111-0000-4000-8000-000000000001';
const summary = (tags: { [key: string]: string } = {}): ClaimedPhoneNumberSummary => ({
  PhoneNumber: '+12065550100',
  PhoneNumberArn: ARN,
  PhoneNumberId: '11111111-0000-4000-8000-000000000001',
  PhoneNumberCountryCode: 'US',
  PhoneNumberType: 'DID',
  InstanceId: 'instance-1',
  PhoneNumberStatus: { Status: 'CLAIMED' },
  Tags: { 'claimed-phone-number:owner': 'Numbers/Support', ...tags },
});
const facts = (template: object, physicalIds: [string, string][] = []): StackFacts => ({
  exists: true,
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Numbers/x',
  status: 'UPDATE_COMPLETE',
  template: template as never,
  physicalIds: new Map(physicalIds),
});
const owned = (tags?: { [key: string]: string }) => ({ summary: summary(tags), scope: 'Numbers', logicalId: 'Support' });
const declaring = (properties: object) => ({ Support: { Type: 'Custom::ClaimedPhoneNumber', Properties: properties } });

test('a number its stack holds is in use, even if an old kept mark is still on it', () => {
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'ROLLBACK_IN_PROGRESS@2026-12-01T00:00:00Z' }), facts(declaring({}), [['Support', ARN]]));
  expect(entry.state).toBe('in-use');
});

test('0.2.0\'s STACK_STATUS_UNREADABLE mark is read as a kept reason', () => {
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'STACK_STATUS_UNREADABLE@2026-12-01T00:00:00.000Z' }), facts({}));
  expect(entry).toMatchObject({ state: 'kept', kept: { reason: 'STACK_STATUS_UNREADABLE', at: '2026-12-01T00:00:00.000Z', takenBackOnNextDeploy: false } });
});

test('a kept number that the template in force asks for by number is taken back on the next deploy', () => {
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'UPDATE_COMPLETE@2026-12-01T00:00:00Z' }), facts(declaring({ PhoneNumber: '+12065550100' })));
  expect(entry.kept?.takenBackOnNextDeploy).toBe(true);
});

test('a kept number that matches the template\'s search criteria is taken back on the next deploy', () => {
  const template = declaring({ PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID', PhoneNumberPrefix: '+1206' });
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'ROLLBACK_IN_PROGRESS@2026-12-01T00:00:00Z' }), facts(template));
  expect(entry.kept?.takenBackOnNextDeploy).toBe(true);
});

test('whether a template that computes the number takes it back is unknown', () => {
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'ROLLBACK_IN_PROGRESS@2026-12-01T00:00:00Z' }), facts(declaring({ PhoneNumber: { Ref: 'Number' } })));
  expect(entry.kept?.takenBackOnNextDeploy).toBe('unknown');
});

test('a number its existing stack does not hold and nothing marked is retained', () => {
  const entry = classify(owned(), facts({}, [['Support', 'arn:aws:connect:us-east-1:123456789012:phone-number/other']]));
  expect(entry.state).toBe('retained');
});

test('a number whose stack is gone is orphaned', () => {
  expect(classify(owned(), { exists: false, why: 'stack Numbers was deleted' }).state).toBe('orphaned');
});

test('drift of a computed description, tags or target is unknown, never drift', () => {
  const template = declaring({ PhoneNumber: '+12065550100', PhoneNumberDescription: { 'Fn::Join': ['', ['a']] }, Tags: { team: { Ref: 'Team' } }, InstanceId: { Ref: 'Instance' } });
  const entry = classify(owned({ team: 'x' }), facts(template, [['Support', ARN]]));
  expect(entry.drift).toEqual({
    drifted: false,
    fields: [
      { field: 'description', status: 'unknown', detail: 'the template computes it' },
      { field: 'tags', status: 'unknown', detail: 'the template computes them' },
      { field: 'target', status: 'unknown', detail: 'the template computes it' },
      { field: 'contactFlow', status: 'unknown', detail: expect.any(String) },
    ],
  });
});

test('the library\'s own tags and aws: tags are never drift', () => {
  const template = declaring({ PhoneNumber: '+12065550100', InstanceId: 'instance-1', Tags: { team: 'care' } });
  const entry = classify(owned({ team: 'care', 'aws:cloudformation:stack-name': 'Numbers', 'claimed-phone-number:kept-numbers': 'a b' }), facts(template, [['Support', ARN]]));
  expect(entry.drift?.drifted).toBe(false);
});

test('an in-use number reports the ids its kept-numbers tag lists', () => {
  const entry = classify(owned({ 'claimed-phone-number:kept-numbers': 'id-1 id-2' }), facts(declaring({}), [['Support', ARN]]));
  expect(entry.keptNumberIds).toEqual(['id-1', 'id-2']);
});

test('a kept number whose stack is mid-operation says to list again once it has settled', () => {
  const mid = { ...facts({}), status: 'UPDATE_IN_PROGRESS' } as StackFacts;
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'ROLLBACK_IN_PROGRESS@2026-12-01T00:00:00Z' }), mid);
  expect(entry.reason).toMatch(/The stack is UPDATE_IN_PROGRESS: list again once it has settled\.$/);
});

test('a keep decided by a parent stack says so', () => {
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'parent:ROLLBACK_IN_PROGRESS@2026-12-01T00:00:00Z' }), facts({}));
  expect(entry.reason).toMatch(/^Kept by a Delete at 2026-12-01T00:00:00Z while its parent stack was ROLLBACK_IN_PROGRESS;/);
});

test('a keep caused by an unreadable stack asks for a look before releasing', () => {
  const entry = classify(owned({ 'claimed-phone-number:kept-by-rollback': 'STACK_STATUS_UNREADABLE@2026-12-01T00:00:00Z' }), facts({}));
  expect(entry.reason).toMatch(/^Kept by a Delete at 2026-12-01T00:00:00Z because its stack could not be read \(STACK_STATUS_UNREADABLE: look at the stack before releasing it\);/);
});
