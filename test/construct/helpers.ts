/**
 * Shared fixtures for the construct tests: a fresh stack, valid props, and readers for the parts of a
 * synthesized template the tests look at (the number's logical id, the handler role's IAM statements).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps } from '../../lib';
import { PROVIDER_ID } from '../../lib/claimed-phone-number-provider';

export const STACK_NAME = 'TestStack';
export const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
export const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const TDG_ARN =
  'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/99999999-8888-4777-8666-555555555555';
export const PHONE_NUMBER = '+12065550100';

/**
 * Where the apps of this test file synthesize: an App without `outdir` makes a new cdk.out directory in
 * the temporary folder for every synth and never removes it (a hundred per run of these tests). Importing
 * this module registers the hook that removes them all after the test file.
 */
const synthRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'claimed-phone-number-construct-tests-'));
afterAll(() => fs.rmSync(synthRoot, { recursive: true, force: true }));

/** An App that synthesizes under this test file's own temporary directory, removed after the file. */
export function newApp(props: AppProps = {}): App {
  return new App({ ...props, outdir: fs.mkdtempSync(path.join(synthRoot, 'cdk.out-')) });
}

/** A stack in its own app, with no environment (account and region stay tokens). */
export function newStack(id = STACK_NAME, app: App = newApp()): Stack {
  return new Stack(app, id);
}

/** Valid props: a US number claimed to an instance by id; `overrides` replaces any of them. */
export function validProps(overrides: Partial<ClaimedPhoneNumberProps> = {}): ClaimedPhoneNumberProps {
  return { phoneNumber: PHONE_NUMBER, instanceId: INSTANCE_ID, ...overrides };
}

/** The logical id of the number's Custom::ClaimedPhoneNumber resource. */
export function logicalIdOf(number: ClaimedPhoneNumber): string {
  const cfn = number.node.findChild('Resource').node.defaultChild as CfnElement;
  return Stack.of(number).getLogicalId(cfn);
}

/** The logical id of the role that the handler functions (onEvent, isComplete) run as. */
export function handlerRoleLogicalId(stack: Stack): string {
  const role = stack.node.findChild(PROVIDER_ID).node.findChild('Role').node.defaultChild as CfnElement;
  return stack.getLogicalId(role);
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: unknown[];
}

/** Every statement of every AWS::IAM::Policy attached to the handler role, with Action and Resource as lists. */
export function handlerRoleStatements(stack: Stack, template: Template = Template.fromStack(stack)): Statement[] {
  const roleId = handlerRoleLogicalId(stack);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })),
  );
  return policies.flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Array<{ Effect: string; Action: unknown; Resource: unknown }>).map(
      (statement) => ({
        Effect: statement.Effect,
        Action: ([] as string[]).concat(statement.Action as string | string[]),
        Resource: ([] as unknown[]).concat(statement.Resource),
      }),
    ),
  );
}

/** The Lambda functions that run the package's handler (as opposed to the Provider framework's own). */
export function handlerFunctions(stack: Stack, template: Template = Template.fromStack(stack)) {
  const roleId = handlerRoleLogicalId(stack);
  const all = template.findResources('AWS::Lambda::Function');
  return Object.fromEntries(
    Object.entries(all).filter(
      ([, fn]) => JSON.stringify(fn.Properties.Role) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] }),
    ),
  );
}

/** The ARN CloudFormation builds for a Connect resource of the stack's own account and Region. */
export function stackArn(resource: string): unknown {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':connect:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`],
    ],
  };
}
