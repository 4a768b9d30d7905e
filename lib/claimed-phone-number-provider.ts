/**
 * The one custom-resource provider a stack's claimed numbers share, however many there are: two Lambda
 * functions (onEvent and isComplete) built from the prebuilt handler bundle, their role, and the
 * aws-cdk-lib Provider framework that drives them.
 *
 * Its construct path is part of the public contract: CloudFormation refuses to change the ServiceToken
 * of an existing custom resource, so the id below and the tree under it must never change.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { HandlerEnv } from './shared/contract';

/** Where `npm run build` puts the handler bundle, relative to this file (compiled or not). */
export const HANDLER_BUNDLE_DIR = path.join(__dirname, '..', 'dist', 'handler');

/** The provider's construct id directly under the stack. Never change it (see above). */
export const PROVIDER_ID = 'ClaimedPhoneNumberProvider';

/** How long an operation may stay IN_PROGRESS; the waiter's own timeout leaves room to report it clearly. */
const OPERATION_TIMEOUT = Duration.minutes(25);
const WAITER_TOTAL_TIMEOUT = Duration.minutes(30);
/**
 * Each isComplete invocation polls Connect itself for up to a minute with short, growing intervals (see
 * pollDelayMs in the handler), so the waiter only needs to call it again now and then.
 */
const WAITER_QUERY_INTERVAL = Duration.seconds(5);

export class ClaimedPhoneNumberProvider extends Construct {
  /** The stack's provider, created on first use. */
  static of(scope: IConstruct): ClaimedPhoneNumberProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    return existing instanceof ClaimedPhoneNumberProvider ? existing : new ClaimedPhoneNumberProvider(stack, PROVIDER_ID);
  }

  /** The ServiceToken of every Custom::ClaimedPhoneNumber in the stack. */
  readonly serviceToken: string;

  private readonly role: iam.Role;
  /** Claim and move: allowed only to the declared targets (and any phone number of this account). */
  private readonly targetStatement: iam.PolicyStatement;
  private readonly targetArns = new Set<string>();
  /** Literal phone numbers declared in this stack, to catch the same number declared twice. */
  private readonly declaredNumbers = new Map<string, string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    if (!fs.existsSync(path.join(HANDLER_BUNDLE_DIR, 'index.js'))) {
      throw new Error(
        `The ClaimedPhoneNumber handler bundle is missing at ${HANDLER_BUNDLE_DIR}. Run "npm run build" in the package first.`,
      );
    }
    const stack = Stack.of(this);
    const phoneNumbers = stack.formatArn({
      service: 'connect',
      resource: 'phone-number',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Claims, updates and releases Amazon Connect phone numbers for Custom::ClaimedPhoneNumber',
    });
    this.targetStatement = new iam.PolicyStatement({
      actions: ['connect:ClaimPhoneNumber', 'connect:UpdatePhoneNumber'],
      resources: [phoneNumbers],
    });
    this.role.addToPrincipalPolicy(this.targetStatement);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'connect:DescribePhoneNumber',
          'connect:ReleasePhoneNumber',
          'connect:UpdatePhoneNumberMetadata',
          'connect:TagResource',
          'connect:UntagResource',
        ],
        resources: [phoneNumbers],
      }),
    );
    // Read-only, and Connect does not scope it to a resource: it finds a number already claimed in the
    // account (an interrupted earlier attempt, or a construct that moved) wherever it is claimed to.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['connect:ListPhoneNumbersV2'], resources: ['*'] }));

    const onEvent = this.handlerFunction('OnEvent', 'index.onEvent', Duration.minutes(5));
    const isComplete = this.handlerFunction('IsComplete', 'index.isComplete', Duration.minutes(2));
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: WAITER_QUERY_INTERVAL,
      totalTimeout: WAITER_TOTAL_TIMEOUT,
    });
    this.serviceToken = provider.serviceToken;
  }

  /** Lets the handler claim numbers to, and move numbers to, `targetArn`. */
  allowTarget(targetArn: string): void {
    if (!this.targetArns.has(targetArn)) {
      this.targetArns.add(targetArn);
      this.targetStatement.addResources(targetArn);
    }
  }

  /** Records a literal phone number; throws if another construct of the stack declared it already. */
  registerPhoneNumber(phoneNumber: string, declaredBy: string): void {
    const first = this.declaredNumbers.get(phoneNumber);
    if (first !== undefined && first !== declaredBy) {
      throw new Error(
        `Phone number ${phoneNumber} is declared twice in stack ${Stack.of(this).stackName}: by ${first} and by ` +
          `${declaredBy}. A number can be claimed once; remove one of them.`,
      );
    }
    this.declaredNumbers.set(phoneNumber, declaredBy);
  }

  private handlerFunction(id: string, handler: string, timeout: Duration): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    // The role is our own (no managed policy), so it gets write access to exactly these log groups.
    logGroup.grantWrite(this.role);
    return new lambda.Function(this, id, {
      code: lambda.Code.fromAsset(HANDLER_BUNDLE_DIR),
      handler,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      role: this.role,
      description: `Custom::ClaimedPhoneNumber ${handler}`,
      environment: { [HandlerEnv.OPERATION_TIMEOUT_SECONDS]: String(OPERATION_TIMEOUT.toSeconds()) },
      logGroup,
    });
  }
}
