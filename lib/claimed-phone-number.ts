import { ArnFormat, CustomResource, Fn, IResource, ITaggable, Lazy, RemovalPolicy, Resource, Stack, Stage, TagManager, TagType, Token } from 'aws-cdk-lib';
import { IContactFlowRef, IInstanceRef, IPhoneNumberRef, ITrafficDistributionGroupRef, PhoneNumberReference } from 'aws-cdk-lib/aws-connect';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { ClaimedPhoneNumberProvider, ClaimedPhoneNumberProviderOptions } from './claimed-phone-number-provider';
import { metricNumbersKept } from './numbers-kept-metric';
import { PhoneNumberSearch } from './phone-number-search';
import { Attribute, PHONE_NUMBER_ARN_PATTERN, Property, RESOURCE_TYPE } from './shared/contract';
import { environmentKey } from './stack-environment';
import { FieldNames, validatePhoneNumberSpec, validateTags } from './shared/validation';

/**
 * A phone number in Amazon Connect: a claimed number, or one imported with `fromPhoneNumberArn`.
 */
export interface IClaimedPhoneNumber extends IResource, IPhoneNumberRef {
  /**
   * The ARN of the phone number.
   * @attribute
   */
  readonly phoneNumberArn: string;

  /**
   * The id of the phone number (the last part of its ARN).
   * @attribute
   */
  readonly phoneNumberId: string;
}

/**
 * Properties of a `ClaimedPhoneNumber`.
 */
export interface ClaimedPhoneNumberProps {
  /**
   * The phone number to claim, in E.164 format: "+", the country code and the subscriber number, for
   * example `+12065550100`. Changing it replaces the resource: the new number is claimed first, and the
   * old one is released after the deployment succeeds. Give one of `phoneNumber`, `search` or
   * `sourcePhoneNumberArn`.
   *
   * @default - none; `search` or `sourcePhoneNumberArn` must be given
   */
  readonly phoneNumber?: string;

  /**
   * Search for an available number and claim one, instead of naming it. The handler claims exactly one
   * number even when a candidate is taken between search and claim, or when CloudFormation delivers the
   * request twice. A change of the criteria that the claimed number no longer matches replaces it;
   * `phoneNumber` reports the number claimed.
   * Give one of `phoneNumber`, `search` or `sourcePhoneNumberArn`.
   *
   * @default - none; `phoneNumber` or `sourcePhoneNumberArn` must be given
   */
  readonly search?: PhoneNumberSearch;

  /**
   * The ARN of an AWS End User Messaging SMS phone number (`arn:aws:sms-voice:<region>:<account>:phone-number/<id>`)
   * to import into the declared instance (ImportPhoneNumber) instead of claiming a number. The target must be
   * an instance (`instanceId`, `instance`, or an instance ARN as `targetArn`): ImportPhoneNumber takes no
   * traffic distribution group. Description, tags, moves to another instance and the contact flow work as
   * for a claimed number; delete releases it with ReleasePhoneNumber (README, "Import from AWS End User
   * Messaging", says what is documented about that). Changing it replaces the resource. Give at most one of
   * `phoneNumber`, `search` or `sourcePhoneNumberArn`.
   *
   * @default - none; the number is claimed (`phoneNumber` or `search`)
   */
  readonly sourcePhoneNumberArn?: string;

  /**
   * The id of the Amazon Connect instance to claim the number to. Give exactly one of the four target
   * props: `instanceId`, `targetArn`, `instance` or `trafficDistributionGroup`. Changing the target moves
   * the number (UpdatePhoneNumber): it stays claimed throughout.
   *
   * @default - none; `targetArn`, `instance` or `trafficDistributionGroup` must be given
   */
  readonly instanceId?: string;

  /**
   * The ARN of the Amazon Connect instance or traffic distribution group to claim the number to. Give
   * exactly one of the four target props: `instanceId`, `targetArn`, `instance` or
   * `trafficDistributionGroup`. Changing the target moves the number (UpdatePhoneNumber): it stays
   * claimed throughout.
   *
   * @default - none; `instanceId`, `instance` or `trafficDistributionGroup` must be given
   */
  readonly targetArn?: string;

  /**
   * The Amazon Connect instance to claim the number to, for example a `CfnInstance`: its ARN becomes the
   * target, and the claim permission is scoped to it. Give exactly one of the four target props:
   * `instanceId`, `targetArn`, `instance` or `trafficDistributionGroup`.
   *
   * @default - none; `instanceId`, `targetArn` or `trafficDistributionGroup` must be given
   */
  readonly instance?: IInstanceRef;

  /**
   * The traffic distribution group to claim the number to, for example a `CfnTrafficDistributionGroup`:
   * its ARN becomes the target. Give exactly one of the four target props: `instanceId`, `targetArn`,
   * `instance` or `trafficDistributionGroup`.
   *
   * @default - none; `instanceId`, `targetArn` or `instance` must be given
   */
  readonly trafficDistributionGroup?: ITrafficDistributionGroupRef;

  /**
   * A contact flow to associate the number with once it is claimed (AssociatePhoneNumberContactFlow). It
   * is associated again after a move to another target (a move drops the association), and removed before
   * the number is released. Give at most one of `contactFlow` and `contactFlowArn`.
   *
   * @default - the number is not associated with a contact flow
   */
  readonly contactFlow?: IContactFlowRef;

  /**
   * The ARN of a contact flow to associate the number with, as `contactFlow` does.
   *
   * @default - the number is not associated with a contact flow
   */
  readonly contactFlowArn?: string;

  /**
   * Take over the number if it is already claimed to the declared target, by hand, by `CfnPhoneNumber` or
   * by another stack, without releasing and claiming it again; its tags and description are then brought
   * to the declared state, and from then on this resource manages it. The removal policy then defaults to
   * RETAIN, so that neither a rollback of the adopting deploy nor a later delete releases a number that was
   * in use before; set DESTROY explicitly to release it on delete. Without this flag, such a number fails
   * the deployment with a clear error.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * A description of the number, at most 500 characters. Updated in place (UpdatePhoneNumberMetadata).
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Tags for the number, at most 48 (Connect allows 50; the construct reserves 2 for ownership). Tags added
   * with `Tags.of(scope).add()` apply too. Updated in place (TagResource / UntagResource).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the number when the resource leaves the stack or is replaced. `DESTROY` releases
   * it; `RETAIN` keeps it claimed in Connect. A released number enters a cooldown of up to 180 days
   * during which nobody can claim it again, so use `RETAIN` for any number customers already call.
   *
   * @default - RemovalPolicy.DESTROY; RemovalPolicy.RETAIN with `adoptExisting`
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A phone number ARN as ClaimPhoneNumber, DescribePhoneNumber and ListPhoneNumbersV2 report it (and the handler answers). */

const PROP_NAMES: FieldNames = {
  phoneNumber: 'phoneNumber',
  countryCode: 'search.countryCode',
  type: 'search.numberType',
  prefix: 'search.prefix',
  instanceId: 'instanceId',
  targetArn: 'targetArn',
  description: 'description',
  tags: 'tags',
  contactFlowArn: 'contactFlowArn',
  adoptExisting: 'adoptExisting',
  sourcePhoneNumberArn: 'sourcePhoneNumberArn',
};

/**
 * An Amazon Connect phone number claimed by this stack: claimed on create (waiting until Connect
 * reports it CLAIMED), updated in place (description, tags, target) and released on delete, through a
 * custom resource whose provider is shared by all the numbers of the stack.
 *
 * @resource Custom::ClaimedPhoneNumber
 */
export class ClaimedPhoneNumber extends Resource implements IClaimedPhoneNumber, ITaggable {
  /** The CloudFormation type of the custom resource, for tests: `Template.resourceCountIs(ClaimedPhoneNumber.RESOURCE_TYPE, 2)`. */
  static readonly RESOURCE_TYPE = RESOURCE_TYPE;

  /**
   * Configures the custom-resource provider that all the claimed numbers of `scope`'s stack share: one
   * setting per stack, e.g. `ClaimedPhoneNumber.configureProvider(this, { logRemovalPolicy: RemovalPolicy.DESTROY })`
   * so that `cdk destroy` deletes the provider's log groups too. Call it before or after declaring the
   * numbers; a later call overrides the options it names. It never adds a provider to a stack without numbers.
   */
  static configureProvider(scope: Construct, options: ClaimedPhoneNumberProviderOptions): void {
    ClaimedPhoneNumberProvider.configure(scope, options);
  }

  /**
   * The number of phone numbers the stack's handler kept instead of releasing them (a rollback, a parent
   * stack rolling back, a request delivered after the stack moved on, or a stack it could not read), summed
   * over 5 minutes. Each kept number stays claimed and billed until a deploy takes it back or you release it
   * (`npx cdk-claimed-phone-number list`), so alarm on it:
   * `ClaimedPhoneNumber.metricNumbersKept(this).createAlarm(this, 'NumbersKept', { threshold: 1, evaluationPeriods: 1 })`.
   * The metric has the dimension StackName (and StackName with Reason, for a breakdown).
   */
  static metricNumbersKept(stack: Stack, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return metricNumbersKept(stack, props);
  }

  /**
   * Refers to a phone number managed elsewhere (by hand, another stack or another tool), by its ARN
   * (`arn:aws:connect:<region>:<account>:phone-number/<id>`). Nothing is claimed, changed or released.
   * Any other literal ARN fails at synth; an unresolved token is taken as is.
   */
  static fromPhoneNumberArn(scope: Construct, id: string, phoneNumberArn: string): IClaimedPhoneNumber {
    // Another kind of ARN (an instance's, say) would give a wrong phoneNumberId; tokens are checked by whoever uses them.
    if (!Token.isUnresolved(phoneNumberArn) && !PHONE_NUMBER_ARN_PATTERN.test(phoneNumberArn)) {
      const path = scope.node.path ? `${scope.node.path}/${id}` : id;
      throw new Error(
        `ClaimedPhoneNumber.fromPhoneNumberArn ${path}: phoneNumberArn must be the ARN of an Amazon Connect phone number ` +
          `(arn:aws:connect:<region>:<account>:phone-number/<id>); got ${JSON.stringify(phoneNumberArn)}.`,
      );
    }
    const stack = Stack.of(scope);
    const parts = stack.splitArn(phoneNumberArn, ArnFormat.SLASH_RESOURCE_NAME);
    class Import extends Resource implements IClaimedPhoneNumber {
      readonly phoneNumberArn = phoneNumberArn;
      readonly phoneNumberId = Token.isUnresolved(phoneNumberArn)
        ? Fn.select(1, Fn.split('/', phoneNumberArn))
        : phoneNumberArn.slice(phoneNumberArn.lastIndexOf('/') + 1);
      readonly phoneNumberRef: PhoneNumberReference = { phoneNumberArn };
    }
    return new Import(scope, id, { account: parts.account, region: parts.region });
  }

  /** @attribute */
  readonly phoneNumberArn: string;
  /** @attribute */
  readonly phoneNumberId: string;
  /**
   * The claimed phone number in E.164 format, as Connect reports it.
   * @attribute
   */
  readonly phoneNumber: string;
  readonly phoneNumberRef: PhoneNumberReference;
  /** Tags of the number; `Tags.of(scope).add()` adds to them. */
  readonly tags: TagManager;

  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ClaimedPhoneNumberProps) {
    super(scope, id);
    // Typed references resolve to ARNs; the rules below then treat them like the string props.
    const typedTargetArn = props.instance?.instanceRef.instanceArn ?? props.trafficDistributionGroup?.trafficDistributionGroupRef.trafficDistributionGroupArn;
    const typedFlowArn = props.contactFlow?.contactFlowRef.contactFlowArn;
    const renamed = renamedProps(props);
    const targetProblems = checkOneTarget(props);
    // The shared rules know only the two template properties (InstanceId, TargetArn). When the number of
    // targets is wrong, checkOneTarget has said so naming all four props, and the shared rules get a
    // target they skip instead of repeating it with two.
    const targetReported = targetProblems.length > 0;
    const problems = [
      ...renamed.problems,
      ...targetProblems,
      ...(props.contactFlow && props.contactFlowArn ? [`Give at most one of contactFlow or contactFlowArn, not both.`] : []),
      ...(props.sourcePhoneNumberArn && props.trafficDistributionGroup
        ? [
          'sourcePhoneNumberArn imports the number to an Amazon Connect instance only (ImportPhoneNumber takes an InstanceId, ' +
              'not a traffic distribution group); got trafficDistributionGroup.',
        ]
        : []),
      ...validatePhoneNumberSpec(
        {
          phoneNumber: props.phoneNumber,
          countryCode: props.search?.countryCode,
          type: props.search?.numberType ?? renamed.numberType,
          prefix: props.search?.prefix,
          instanceId: targetReported || typedTargetArn ? undefined : props.instanceId,
          targetArn: targetReported ? TARGET_ALREADY_REPORTED : (typedTargetArn ?? props.targetArn),
          description: props.description,
          tags: props.tags,
          contactFlowArn: typedFlowArn ?? props.contactFlowArn,
          adoptExisting: props.adoptExisting,
          sourcePhoneNumberArn: props.sourcePhoneNumberArn,
        },
        PROP_NAMES,
        (value) => value === TARGET_ALREADY_REPORTED || Token.isUnresolved(value),
      ),
    ];
    if (props.removalPolicy !== undefined) {
      problems.push(...checkRemovalPolicy(props.removalPolicy, 'removalPolicy'));
    }
    if (problems.length > 0) {
      throw new Error(`ClaimedPhoneNumber ${this.node.path}: ${[...new Set(problems)].join(' ')}`);
    }

    // An empty string counts as not given, as in the validation rules and the handler: it must neither
    // reach the template nor become the target the handler's role may claim to.
    const instanceId = typedTargetArn ? undefined : props.instanceId || undefined;
    const targetArn = typedTargetArn ?? (props.targetArn || undefined);
    const contactFlowArn = typedFlowArn ?? (props.contactFlowArn || undefined);

    const provider = ClaimedPhoneNumberProvider.of(this);
    provider.allowTarget(targetArn ?? this.instanceArn(instanceId!));
    if (props.search) {
      provider.allowSearch();
    }
    if (props.sourcePhoneNumberArn) {
      provider.allowImport(targetArn ?? this.instanceArn(instanceId!), props.sourcePhoneNumberArn);
    }
    if (props.phoneNumber && !Token.isUnresolved(props.phoneNumber)) {
      provider.registerPhoneNumber(props.phoneNumber, this.node.path);
      DECLARED_NUMBERS.set(this, props.phoneNumber);
      checkNumbersOfStageOnce(this);
    }

    this.tags = new TagManager(TagType.MAP, RESOURCE_TYPE, props.tags);
    // Tags.of() aspects add tags after this constructor, so the limit is checked again at synth.
    this.node.addValidation({ validate: () => this.validateTags() });

    const resource = (this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: RESOURCE_TYPE,
      // An adopted number was in use before this stack knew it: never release it unless asked to, not even
      // when the deploy that adopts it rolls back.
      removalPolicy: props.removalPolicy ?? (props.adoptExisting ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY),
      properties: {
        [Property.PHONE_NUMBER]: props.phoneNumber || undefined,
        [Property.COUNTRY_CODE]: props.search?.countryCode,
        [Property.TYPE]: props.search?.numberType,
        [Property.PREFIX]: props.search?.prefix || undefined,
        [Property.INSTANCE_ID]: instanceId,
        [Property.TARGET_ARN]: targetArn,
        [Property.DESCRIPTION]: props.description,
        [Property.TAGS]: Lazy.any({ produce: () => this.tags.renderTags() }),
        [Property.CONTACT_FLOW_ARN]: contactFlowArn,
        [Property.ADOPT_EXISTING]: props.adoptExisting ? true : undefined,
        [Property.SOURCE_PHONE_NUMBER_ARN]: props.sourcePhoneNumberArn || undefined,
      },
    }));

    this.phoneNumberArn = resource.ref;
    this.phoneNumberId = resource.getAttString(Attribute.PHONE_NUMBER_ID);
    this.phoneNumber = resource.getAttString(Attribute.PHONE_NUMBER);
    this.phoneNumberRef = { phoneNumberArn: this.phoneNumberArn };
  }

  /**
   * Sets what happens to the number when the resource leaves the stack or is replaced, as the
   * `removalPolicy` prop does. RemovalPolicy.SNAPSHOT is refused: a custom resource has no snapshot.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    const problems = checkRemovalPolicy(policy, 'applyRemovalPolicy()');
    if (problems.length > 0) {
      throw new Error(`ClaimedPhoneNumber ${this.node.path}: ${problems.join(' ')}`);
    }
    this.resource.applyRemovalPolicy(policy);
  }

  private instanceArn(instanceId: string): string {
    return Stack.of(this).formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: instanceId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Checks the tags as they will be deployed, including those that Tags.of() aspects added. */
  private validateTags(): string[] {
    const tags = (this.tags.renderTags() as { [key: string]: string } | undefined) ?? {};
    return validateTags(tags, 'tags (including those added with Tags.of())', (value) => Token.isUnresolved(value)).map(
      (problem) => `ClaimedPhoneNumber ${this.node.path}: ${problem}`,
    );
  }
}

/** Custom resources take DeletionPolicy Delete or Retain only: CloudFormation rejects Snapshot for them. */
function checkRemovalPolicy(policy: RemovalPolicy, given: string): string[] {
  if (policy === RemovalPolicy.SNAPSHOT) {
    return [
      `${given} got RemovalPolicy.SNAPSHOT, which a phone number cannot have (CloudFormation takes snapshots of ` +
        'storage resources only). Use RemovalPolicy.RETAIN to keep the number claimed when the resource is removed, ' +
        'or RemovalPolicy.DESTROY to release it.',
    ];
  }
  return [];
}

/** Stands in for the target in the shared rules once checkOneTarget has reported a wrong number of targets. */
const TARGET_ALREADY_REPORTED = '<target already reported>';

/**
 * Exactly one of the four ways to name a target, with a message that names all four and lists what was
 * given. An empty string counts as not given, as in the shared rules and the handler.
 */
function checkOneTarget(props: ClaimedPhoneNumberProps): string[] {
  const given = [
    props.instanceId ? 'instanceId' : undefined,
    props.targetArn ? 'targetArn' : undefined,
    props.instance ? 'instance' : undefined,
    props.trafficDistributionGroup ? 'trafficDistributionGroup' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (given.length === 0) {
    return [
      'Give exactly one target: instanceId (the Connect instance id), targetArn (an instance or traffic distribution ' +
        'group ARN), instance (an instance construct, such as a CfnInstance) or trafficDistributionGroup (such as a ' +
        'CfnTrafficDistributionGroup); got none.',
    ];
  }
  if (given.length > 1) {
    return [`Give exactly one target (instanceId, targetArn, instance or trafficDistributionGroup); got ${given.join(' and ')}.`];
  }
  return [];
}

/**
 * Props renamed since 0.1, as plain JavaScript, Python or code written for 0.1 may still pass them: each
 * gets a hint instead of an error about the new name being missing. `search.type` became
 * `search.numberType` in 0.2.0 (`type` is a reserved word in Go and a builtin in Python).
 */
function renamedProps(props: ClaimedPhoneNumberProps): { problems: string[]; numberType?: string } {
  const search = props.search as (PhoneNumberSearch & { readonly type?: unknown }) | undefined;
  if (search === undefined || search === null || search.type === undefined) {
    return { problems: [] };
  }
  const value = typeof search.type === 'string' ? search.type : undefined;
  const example = value === undefined ? 'DID' : value;
  return {
    problems: [
      `search.type was renamed to numberType in 0.2.0 (type is a reserved word in Go and a builtin in Python): ` +
        `write search: { numberType: ${JSON.stringify(example)} } (PhoneNumberType.${example} in TypeScript) ` +
        `instead of search: { type: ${JSON.stringify(search.type)} }.`,
    ],
    // The old value stands in for the new one, so that the hint is not followed by "search.numberType is required".
    numberType: search.numberType === undefined ? value ?? '' : undefined,
  };
}

/** The literal number each resource claims (none for a search, an import or a token). */
const DECLARED_NUMBERS = new WeakMap<ClaimedPhoneNumber, string>();

/** The Stages (or construct tree roots) whose numbers are already checked for a number declared twice. */
const CHECKED_STAGES = new WeakSet<IConstruct>();

/**
 * Registers, once per Stage (an App is one), a validation that fails synth when the same literal number is
 * declared by two resources for the same environment: their stacks' account and Region are equal, or both
 * unresolved (an environment-agnostic stack deploys wherever the CLI's credentials point). Within one stack
 * the provider reports it at construction; this finds the numbers of different stacks through the
 * construct tree when the Stage is synthesized, so it sees every number, whenever it was added.
 */
function checkNumbersOfStageOnce(number: ClaimedPhoneNumber): void {
  const stage: IConstruct = Stage.of(number) ?? number.node.root;
  if (CHECKED_STAGES.has(stage)) {
    return;
  }
  CHECKED_STAGES.add(stage);
  stage.node.addValidation({ validate: () => numbersDeclaredTwice(stage) });
}

function numbersDeclaredTwice(stage: IConstruct): string[] {
  const firstByKey = new Map<string, string>();
  const problems: string[] = [];
  // The numbers of nested Stages are another cloud assembly: their own Stage checks them.
  const numbers = stage.node
    .findAll()
    .filter((c): c is ClaimedPhoneNumber => c instanceof ClaimedPhoneNumber && (Stage.of(c) ?? c.node.root) === stage);
  for (const number of numbers) {
    const phoneNumber = DECLARED_NUMBERS.get(number);
    if (phoneNumber === undefined) {
      continue;
    }
    const { account, region } = Stack.of(number);
    const environment = environmentKey(Stack.of(number));
    const key = `${phoneNumber} ${environment}`;
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, number.node.path);
      continue;
    }
    const where = environment === '/'
      ? 'in environment-agnostic stacks (account and Region unresolved, so both deploy wherever the CLI points)'
      : `for account ${Token.isUnresolved(account) ? '(unresolved)' : account} and Region ${Token.isUnresolved(region) ? '(unresolved)' : region}`;
    problems.push(
      `Phone number ${phoneNumber} is declared twice ${where}: by ${first} and by ${number.node.path}. ` +
        'A number can be claimed once per account and Region; remove one of them, or give their stacks different environments.',
    );
  }
  return problems;
}
