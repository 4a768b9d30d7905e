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
import { ArnFormat, CfnElement, CfnResource, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFinding, acknowledgeRuntimes } from './acknowledge-finding';
import { largestWave, numbersInAccount } from './crowd-count';
import { NestedStackScope, nestedStackScopeOf } from './nested-stack-scope';
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
/**
 * onEvent waits as long as a claim needs to get through Connect's rate limit, rather than handing a claim
 * that was not accepted yet over to isComplete. Claims are serialized at about 2 a second per account and
 * Region, so 400 numbers deploying at once (or three stacks of 150) need more than three minutes for their
 * claims alone, and the 5 minutes this function once had failed the last of them. Continuing a claim in
 * isComplete would mean answering CloudFormation before the number has an ARN: the physical id would be a
 * placeholder, and a failure after the claim went through would reach a Delete that cannot know which
 * number to release. Waiting here keeps "the physical id is the number's ARN" true for every claim that can
 * exist, and costs nothing while the claim waits but the function's duration. 14 minutes leaves the
 * framework's own onEvent function, which invokes this one synchronously and has 15 minutes, time to start
 * the waiter; claims are retried until 10 s before it (safetyMarginMs), enough for about 1,600 claims
 * queued in one account.
 */
const ON_EVENT_TIMEOUT = Duration.minutes(14);
/** One isComplete invocation polls for up to a minute (pollBudgetMs) and needs a margin to answer. */
const IS_COMPLETE_TIMEOUT = Duration.minutes(2);
/** What a rollback may move numbers to, or associate them with, although the new template does not declare it. */
const ROLLBACK_REACHABLE_RESOURCES = ['instance/*', 'traffic-distribution-group/*', 'instance/*/contact-flow/*'];
/** How long every log group of the provider keeps its events, unless configured otherwise. */
const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * Settings of the custom-resource provider that all the claimed numbers of a stack share, given with
 * `ClaimedPhoneNumber.configureProvider(scope, options)`.
 */
export interface ClaimedPhoneNumberProviderOptions {
  /**
   * What happens to the provider's four log groups (those of the two handler functions, of the Provider
   * framework's functions and of its waiter state machine) when the stack is deleted. `DESTROY` deletes
   * them with the stack; `RETAIN` keeps them, with their retention, after `cdk destroy`.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * How long the provider's four log groups keep their events.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Provider settings per stack, given before or after the stack's provider exists. */
const settingsOfStack = new WeakMap<Stack, ClaimedPhoneNumberProviderOptions>();

export class ClaimedPhoneNumberProvider extends Construct {
  /** The stack's provider, created on first use. */
  static of(scope: IConstruct): ClaimedPhoneNumberProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    return existing instanceof ClaimedPhoneNumberProvider ? existing : new ClaimedPhoneNumberProvider(stack, PROVIDER_ID);
  }

  /**
   * Sets the options of the stack's provider, whether it exists yet or not; a later call overrides the
   * options it names. Never creates a provider: a stack without numbers stays without one.
   */
  static configure(scope: IConstruct, options: ClaimedPhoneNumberProviderOptions): void {
    if (options.logRemovalPolicy === RemovalPolicy.SNAPSHOT) {
      throw new Error(
        `ClaimedPhoneNumber.configureProvider ${scope.node.path}: logRemovalPolicy cannot be SNAPSHOT: log groups have no ` +
          'snapshots; use DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE.',
      );
    }
    const stack = Stack.of(scope);
    const settings = { ...settingsOfStack.get(stack), ...options };
    settingsOfStack.set(stack, settings);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    if (existing instanceof ClaimedPhoneNumberProvider) {
      existing.applyLogSettings(settings);
    }
  }

  /** The ServiceToken of every Custom::ClaimedPhoneNumber in the stack. */
  readonly serviceToken: string;

  private readonly role: iam.Role;
  /** Claim: allowed only to the declared targets (and any phone number of this account). */
  private readonly targetStatement: iam.PolicyStatement;
  private readonly targetArns = new Set<string>();
  /** Import: created by the first construct that imports, on the declared instances. */
  private importStatement?: iam.PolicyStatement;
  /** The End User Messaging source numbers the handler may read. */
  private sourceStatement?: iam.PolicyStatement;
  private readonly importArns = new Set<string>();
  private readonly phoneNumbersArn: string;
  /** Set when the stack is a nested stack. */
  private readonly nestedScope?: NestedStackScope;
  /** Read-only calls that Connect does not scope to a resource. */
  private readonly readOnlyStatement: iam.PolicyStatement;
  /** Literal phone numbers declared in this stack, to catch the same number declared twice. */
  private readonly declaredNumbers = new Map<string, string>();
  /** Every log group of the provider, for the settings of `configure`. */
  private readonly logGroups: logs.LogGroup[] = [];

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

    this.phoneNumbersArn = phoneNumbers;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Claims, updates and releases Amazon Connect phone numbers for Custom::ClaimedPhoneNumber',
    });
    // Claims happen only under the template that declares them (Create, or the replacement of an Update),
    // so ClaimPhoneNumber is allowed to the declared targets alone.
    this.targetStatement = new iam.PolicyStatement({ actions: ['connect:ClaimPhoneNumber'], resources: [phoneNumbers] });
    this.role.addToPrincipalPolicy(this.targetStatement);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'connect:DescribePhoneNumber',
          'connect:ReleasePhoneNumber',
          'connect:UpdatePhoneNumberMetadata',
          'connect:TagResource',
          'connect:UntagResource',
          'connect:DisassociatePhoneNumberContactFlow',
        ],
        resources: [phoneNumbers],
      }),
    );
    // Moves and flow associations are different: CloudFormation updates this role's policy before the
    // numbers, and reverts the numbers before the policy when an update rolls back. The reverse update of a
    // rollback (and the cleanup after a construct or its flow was removed) then runs under a policy that no
    // longer names the previous target or flow. Allowing these two actions on any instance, traffic
    // distribution group and flow of this account and Region keeps those paths from failing into
    // UPDATE_ROLLBACK_FAILED; they still only act on phone numbers of this account and Region.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['connect:UpdatePhoneNumber', 'connect:AssociatePhoneNumberContactFlow'],
        resources: [phoneNumbers, ...this.anyOfThisAccount(ROLLBACK_REACHABLE_RESOURCES)],
      }),
    );
    // Read-only, and Connect does not scope it to a resource: it finds a number already claimed in the
    // account (an interrupted earlier attempt, or a construct that moved) wherever it is claimed to.
    this.readOnlyStatement = new iam.PolicyStatement({ actions: ['connect:ListPhoneNumbersV2'], resources: ['*'] });
    this.role.addToPrincipalPolicy(this.readOnlyStatement);
    // Read-only, on this stack alone: a Delete that is part of a rollback keeps the number instead of releasing
    // it, a number held by a sibling resource is handed over only when the template no longer declares it, and a
    // search waits for the claim of a Create that failed moments ago instead of claiming a second number.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:DescribeStackResource', 'cloudformation:DescribeStackEvents'],
        resources: [stack.stackId],
      }),
    );
    // A nested stack's numbers are released only when its parents let it go: it may read their status alone.
    this.nestedScope = nestedStackScopeOf(stack);
    if (this.nestedScope) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: this.nestedScope.ancestorStackArns }));
    }

    const onEvent = this.handlerFunction('OnEvent', 'index.onEvent', ON_EVENT_TIMEOUT);
    const isComplete = this.handlerFunction('IsComplete', 'index.isComplete', IS_COMPLETE_TIMEOUT);

    // The framework's own functions and waiter get our roles and log groups instead of the defaults (roles
    // with the AWSLambdaBasicExecutionRole managed policy, log groups kept forever, no waiter logging):
    // each role may write to its log group and nothing else beyond what the framework grants it.
    const frameworkLogs = this.newLogGroup('FrameworkLogs');
    const frameworkOnEventRole = this.frameworkRole('FrameworkOnEventRole', 'onEvent', frameworkLogs);
    const frameworkCompleteRole = this.frameworkRole('FrameworkCompleteRole', 'isComplete and onTimeout', frameworkLogs);
    const waiterLogs = this.newLogGroup('WaiterLogs');
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: WAITER_QUERY_INTERVAL,
      totalTimeout: WAITER_TOTAL_TIMEOUT,
      frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole: frameworkCompleteRole,
      logGroup: frameworkLogs,
      disableWaiterStateMachineLogging: false,
      // Every state transition, but not the execution data: it carries CloudFormation's pre-signed response URL.
      waiterStateMachineLogOptions: { destination: waiterLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.acknowledgeFindings(provider, [onEvent, isComplete], [frameworkOnEventRole, frameworkCompleteRole], phoneNumbers);
    this.explainLintWarnings();
    this.applyLogSettings(settingsOfStack.get(stack) ?? {});
    this.serviceToken = provider.serviceToken;
  }

  /** Lets the handler search for available numbers (search-and-claim). */
  allowSearch(): void {
    // Read-only as well: numbers that are available to claim are nobody's resource yet.
    if (!this.readOnlyStatement.actions.includes('connect:SearchAvailablePhoneNumbers')) {
      this.readOnlyStatement.addActions('connect:SearchAvailablePhoneNumbers');
    }
  }

  /**
   * Lets the handler import `sourceArn` (an AWS End User Messaging SMS number) into the instance `instanceArn`.
   * Added only for stacks that import: ImportPhoneNumber on the declared instance and this account's phone
   * numbers, and the read of the source number that CloudFormation's own AWS::Connect::PhoneNumber handler
   * also asks for (sms-voice:DescribePhoneNumbers), on that number alone.
   */
  allowImport(instanceArn: string, sourceArn: string): void {
    if (!this.importStatement) {
      this.importStatement = new iam.PolicyStatement({ actions: ['connect:ImportPhoneNumber'], resources: [this.phoneNumbersArn] });
      this.sourceStatement = new iam.PolicyStatement({ actions: ['sms-voice:DescribePhoneNumbers'] });
      this.role.addToPrincipalPolicy(this.importStatement);
      this.role.addToPrincipalPolicy(this.sourceStatement);
    }
    if (!this.importArns.has(instanceArn)) {
      this.importArns.add(instanceArn);
      this.importStatement.addResources(instanceArn);
    }
    if (!this.importArns.has(sourceArn)) {
      this.importArns.add(sourceArn);
      this.sourceStatement!.addResources(sourceArn);
    }
  }

  /** Lets the handler claim numbers to `targetArn`. */
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

  /** A log group of the provider, with the default retention (`configure` may change it and its removal policy). */
  private newLogGroup(id: string): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, id, { retention: LOG_RETENTION });
    this.logGroups.push(logGroup);
    return logGroup;
  }

  private applyLogSettings(settings: ClaimedPhoneNumberProviderOptions): void {
    for (const logGroup of this.logGroups) {
      if (settings.logRemovalPolicy !== undefined) {
        logGroup.applyRemovalPolicy(settings.logRemovalPolicy);
      }
      if (settings.logRetention !== undefined) {
        // As logs.LogGroup does: INFINITE is no RetentionInDays at all.
        const retention = settings.logRetention === logs.RetentionDays.INFINITE ? undefined : settings.logRetention;
        (logGroup.node.defaultChild as logs.CfnLogGroup).retentionInDays = retention;
      }
    }
  }

  /** ARNs of Connect resources of this stack's account and Region, e.g. `instance/*`. */
  private anyOfThisAccount(resources: string[]): string[] {
    return resources.map((resource) => Stack.of(this).formatArn({ service: 'connect', resource, arnFormat: ArnFormat.NO_RESOURCE_NAME }));
  }

  /** A role for framework functions: no managed policy, write access to `logGroup` only. */
  private frameworkRole(id: string, functions: string, logGroup: logs.LogGroup): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the custom resource provider framework's ${functions} function(s) for Custom::ClaimedPhoneNumber`,
    });
    logGroup.grantWrite(role);
    return role;
  }

  /**
   * Acknowledges, for cdk-nag's AwsSolutions pack (and any other CDK validation plugin using the same
   * ids), the findings that cannot be fixed, each on the construct that carries it and for that finding
   * only, so that users of the construct need no suppressions of their own. README "cdk-nag" lists them.
   * On aws-cdk-lib releases whose Validations API cannot take these ids, acknowledgeFinding records them as
   * cdk-nag v2 and v3 read them without it.
   */
  private acknowledgeFindings(
    provider: cr.Provider,
    handlers: lambda.Function[],
    frameworkRoles: iam.Role[],
    phoneNumbers: string,
  ): void {
    const stack = Stack.of(this);
    const arnOf = (fn: lambda.IFunction) => `<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>`;

    acknowledgeFinding(this.role, {
      id: `AwsSolutions-IAM5[Resource::${nagResource(stack, phoneNumbers)}]`,
      reason:
        'Connect assigns the id in a phone number ARN when the number is claimed, so it is unknown at synth: ' +
        'describe, tag, update and release are allowed on the phone numbers of this account and Region only.',
    });
    for (const resource of this.anyOfThisAccount(ROLLBACK_REACHABLE_RESOURCES)) {
      acknowledgeFinding(this.role, {
        id: `AwsSolutions-IAM5[Resource::${nagResource(stack, resource)}]`,
        reason:
          'Only for connect:UpdatePhoneNumber and connect:AssociatePhoneNumberContactFlow: a rollback moves a number back ' +
          'to a target, or associates it again with a flow, that the new template (whose policy is in force during ' +
          'the rollback) no longer declares. Claims stay scoped to the declared targets.',
      });
    }
    acknowledgeFinding(this.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only for connect:ListPhoneNumbersV2 and connect:SearchAvailablePhoneNumbers (read-only), which do not ' +
        'support resource-level permissions; they find a number an interrupted earlier attempt already claimed, ' +
        'and the candidates of a search-and-claim.',
    });

    // The framework grants each of its functions lambda:InvokeFunction on the handler functions and all
    // their versions (<arn>:*); the waiter's role likewise on the framework functions it calls.
    for (const role of frameworkRoles) {
      for (const handler of handlers) {
        acknowledgeFinding(role, {
          id: `AwsSolutions-IAM5[Resource::${arnOf(handler)}:*]`,
          reason: `The Provider framework grants invoke on this handler function and its versions (${handler.node.id}:*); the grant is its own.`,
        });
      }
    }
    const waiter = provider.node.findChild('waiter-state-machine');
    for (const id of ['framework-isComplete', 'framework-onTimeout']) {
      acknowledgeFinding(waiter, {
        id: `AwsSolutions-IAM5[Resource::${arnOf(provider.node.findChild(id) as lambda.IFunction)}:*]`,
        reason: `The Provider framework's waiter state machine role may invoke its ${id} function and its versions; the role and grant are the framework's own.`,
      });
    }
    acknowledgeFinding(waiter, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging needs the CloudWatch Logs delivery actions (logs:CreateLogDelivery and others), ' +
        'which do not support resource-level permissions; the framework grants them to its waiter role.',
    });
    acknowledgeFinding(waiter, {
      id: 'AwsSolutions-SF2',
      reason:
        'The Provider framework does not offer X-Ray tracing for its waiter state machine, which only calls ' +
        'isComplete until it answers; its executions are logged (level ALL) to a log group with retention.',
    });
    acknowledgeRuntimes(this, handlers);
  }

  /**
   * cfn-lint W3005 ("dependency already enforced by a GetAtt") on every function and state machine: CDK
   * makes each depend on its role and the role's policy, and the role one is redundant with the Role
   * GetAtt. It is harmless and comes from aws-cdk-lib itself; the ignore is in each resource's metadata
   * (W3005 only), so that users linting their templates need no configuration of their own.
   */
  private explainLintWarnings(): void {
    const types = new Set(['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine']);
    for (const child of this.node.findAll()) {
      if (CfnResource.isCfnResource(child) && types.has(child.cfnResourceType)) {
        child.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
      }
    }
  }

  private handlerFunction(id: string, handler: string, timeout: Duration): lambda.Function {
    const logGroup = this.newLogGroup(`${id}Logs`);
    // The role is our own (no managed policy), so it gets write access to exactly these log groups.
    logGroup.grantWrite(this.role);
    return new lambda.Function(this, id, {
      code: lambda.Code.fromAsset(HANDLER_BUNDLE_DIR),
      handler,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      role: this.role,
      description: `Custom::ClaimedPhoneNumber ${handler}`,
      environment: {
        [HandlerEnv.OPERATION_TIMEOUT_SECONDS]: String(OPERATION_TIMEOUT.toSeconds()),
        ...(this.nestedScope ? { [HandlerEnv.OWNER_SCOPE]: this.nestedScope.ownerScope } : {}),
        // The crowds the handler paces throttled retries for (lambda/retry.ts), counted at synth (crowd-count.ts).
        [HandlerEnv.NUMBERS_IN_STACK]: Lazy.string({ produce: () => String(largestWave(Stack.of(this))) }),
        [HandlerEnv.NUMBERS_IN_ACCOUNT]: Lazy.string({ produce: () => String(numbersInAccount(Stack.of(this))) }),
      },
      logGroup,
    });
  }
}

/**
 * A value as cdk-nag names it in a finding id: references become `<LogicalId>` or `<LogicalId.Attribute>`
 * and Fn::Join is flattened, so `arn:<AWS::Partition>:connect:<AWS::Region>:...` for a stack without an
 * environment and literal account and Region for a stack with one.
 */
function nagResource(stack: Stack, value: string): string {
  const flatten = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
    if (o.Ref !== undefined) return `<${o.Ref}>`;
    if (o['Fn::GetAtt'] !== undefined) return `<${o['Fn::GetAtt'].join('.')}>`;
    if (o['Fn::Join'] !== undefined) return o['Fn::Join'][1].map(flatten).join(o['Fn::Join'][0]);
    return JSON.stringify(v);
  };
  return flatten(stack.resolve(value));
}
