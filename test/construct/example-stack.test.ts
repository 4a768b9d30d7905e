/**
 * A snapshot of the example stack, stable across machines: the only machine-independent-but-changing
 * part is the handler asset hash, which is derived from the content of the prebuilt bundle.
 *
 * Snapshot-testing your own stacks that use ClaimedPhoneNumber: the handler asset hash (the S3Key of
 * the two handler functions) changes with every release of this package, and so does the Provider
 * framework's with aws-cdk-lib. To keep your snapshots about your own resources, replace asset hashes
 * before comparing, for example:
 *
 *   const json = JSON.stringify(Template.fromStack(stack).toJSON()).replace(/[0-9a-f]{64}(\.zip)?/g, '<asset>$1');
 *   expect(JSON.parse(json)).toMatchSnapshot();
 *
 * and pin what matters with assertions instead (`Template.resourceCountIs(ClaimedPhoneNumber.RESOURCE_TYPE, n)`,
 * `hasResourceProperties(ClaimedPhoneNumber.RESOURCE_TYPE, { PhoneNumber: ... })`). Keep asset metadata off
 * (the default in tests), so that no local path reaches the template.
 */
import { FileSystem } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContactCenterNumbersStack } from '../../bin/example-stack';
import { HANDLER_BUNDLE_DIR } from '../../lib/claimed-phone-number-provider';
import { newApp } from './helpers';

function exampleTemplate() {
  const app = newApp();
  const stack = new ContactCenterNumbersStack(app, 'ContactCenterNumbers');
  return Template.fromStack(stack).toJSON();
}

test('the example stack matches its snapshot', () => {
  // GIVEN the example stack
  // WHEN it is synthesized
  const template = exampleTemplate();

  // THEN the template is the one recorded
  expect(template).toMatchSnapshot();
});

test('the example template holds no local path', () => {
  // GIVEN the example stack
  // WHEN it is synthesized
  const json = JSON.stringify(exampleTemplate());

  // THEN neither the working directory nor any absolute path of this machine appears in it
  expect(json).not.toContain(process.cwd());
  expect(json).not.toContain('/work/');
  expect(json).not.toContain(HANDLER_BUNDLE_DIR);
});

test('the only handler asset reference in the example template is the content hash of dist/handler', () => {
  // GIVEN the example stack
  // WHEN its asset hashes are collected
  const hashes = new Set(JSON.stringify(exampleTemplate()).match(/[0-9a-f]{64}/g));

  // THEN the handler's is the fingerprint of the bundle's content (the other is the Provider framework's)
  expect(hashes).toContain(FileSystem.fingerprint(HANDLER_BUNDLE_DIR));
  expect(hashes.size).toBe(2);
});
