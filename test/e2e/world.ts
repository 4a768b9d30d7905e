/**
 * The end-to-end test world: a synthesized app, the Connect emulator on 127.0.0.1, and the harness that
 * plays CloudFormation's requests through the real handler bundle, each invocation in its own process.
 */
import { Stack } from 'aws-cdk-lib';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps, PhoneNumberType } from '../../lib';
import { CloudAssembly, enforceRolePolicy, LambdaRunner, StackSimulator, StackSimulatorOptions, startFrameworkServices, synthesizeToDirectory } from '../../harness';
import { ConnectEmulator, ConnectEmulatorOptions, startConnectEmulator } from '../../emulator';
import { CloudFormationApi, startCloudFormationApi } from '../../harness/cloudformation-api';

export const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
export const OTHER_INSTANCE_ID = '66666666-7777-4888-9999-000000000000';
export const TDG_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const TDG_ARN = `arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/${TDG_ID}`;
export const STACK_NAME = 'E2eNumbers';

/** The numbers of the end-to-end stack, by construct id. */
export const DECLARED: { [id: string]: ClaimedPhoneNumberProps } = {
  Support: { phoneNumber: '+12065550100', instanceId: INSTANCE_ID, description: 'Support line', tags: { team: 'support' } },
  Sales: { phoneNumber: '+18335550101', targetArn: TDG_ARN, description: 'Sales' },
  // Declared so that the stack's role policy covers claims to the other instance (a replacement after a move).
  Other: { phoneNumber: '+12065550120', instanceId: OTHER_INSTANCE_ID },
};

/** Added unless a test brings its own extras: a search, so that the role may search and claim. */
const DEFAULT_EXTRA: { [id: string]: ClaimedPhoneNumberProps } = {
  Finder: { search: { countryCode: 'US', numberType: PhoneNumberType.DID, prefix: '+1206555013' }, instanceId: INSTANCE_ID },
};

/** Synthesizes the end-to-end app once per test file. */
export function synthesizeE2eApp(extra: { [id: string]: ClaimedPhoneNumberProps } = DEFAULT_EXTRA): CloudAssembly {
  const directory = synthesizeToDirectory((app) => {
    const stack = new Stack(app, STACK_NAME);
    for (const [id, props] of Object.entries({ ...DECLARED, ...extra })) {
      new ClaimedPhoneNumber(stack, id, props);
    }
  });
  return CloudAssembly.load(directory);
}

/**
 * The usual end-to-end setup: the app synthesized once for the file, a fresh world (emulator, runner,
 * stack) for each test, closed after it; `use` receives each world once started.
 */
export function useE2eWorld(use: (world: World) => void, options: WorldOptions = {}): void {
  let assembly: CloudAssembly;
  let world: World;
  beforeAll(() => {
    assembly = synthesizeE2eApp();
  });
  beforeEach(async () => {
    world = await startWorld(assembly, options);
    use(world);
  });
  afterEach(async () => {
    await world.close();
  });
}

export interface World {
  readonly emulator: ConnectEmulator;
  /** CloudFormation's read-only API as the handler sees its stack (status, template, resources). */
  readonly cloudFormation: CloudFormationApi;
  readonly runner: LambdaRunner;
  readonly stack: StackSimulator;
  /** The logical id of a construct of the e2e stack. */
  logicalId(constructId: string): string;
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly emulator?: ConnectEmulatorOptions;
  /** Handler environment overrides, e.g. a short OPERATION_TIMEOUT_SECONDS. */
  readonly environmentOverrides?: { [name: string]: string };
  readonly stackId?: string;
  /** Values of other resources the template refers to (Ref / GetAtt), for properties and the role policy. */
  readonly references?: { [refOrGetAtt: string]: string };
  /** CloudFormation behaviour variants of the stack model (harness/cfn/stack-model.ts). */
  readonly stack?: Pick<StackSimulatorOptions, 'failedUpdatePhysicalId' | 'templateWhileUpdating' | 'cleanupDeleteAttempts'>;
}

export async function startWorld(assembly: CloudAssembly, options: WorldOptions = {}): Promise<World> {
  const emulator = await startConnectEmulator({
    claimLatencyMs: 300,
    updateLatencyMs: 300,
    metadataLatencyMs: 200,
    instances: [INSTANCE_ID, OTHER_INSTANCE_ID],
    trafficDistributionGroups: [TDG_ID],
    ...options.emulator,
  });
  const cloudFormation = await startCloudFormationApi();
  const runner = new LambdaRunner({
    environment: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEHARNESS',
      AWS_SECRET_ACCESS_KEY: 'harness-secret-key',
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    environmentOverrides: options.environmentOverrides,
  });
  // The Lambda, Step Functions and response URL stand-ins the real Provider framework code talks to.
  const services = await startFrameworkServices(runner);
  // Connect answers the handler as it would answer the synthesized role: calls its policy does not allow
  // are denied (AccessDeniedException), so a permission the construct forgot fails these tests.
  enforceRolePolicy(emulator, assembly, STACK_NAME, runner.accessKeyId, { references: options.references });
  const stack = new StackSimulator(assembly, STACK_NAME, runner, {
    stackId: options.stackId,
    references: options.references,
    // Connect sees the time CloudFormation takes to delete a failed stack and create it again pass.
    recreation: { elapse: (ms) => emulator.advanceClock(ms) },
    ...options.stack,
  });
  cloudFormation.register(stack);
  // The same for the stack's own API: only what the role allows on the stack's own id.
  const stackReferences = { ...options.references, 'AWS::StackId': stack.stackId };
  cloudFormation.setPolicies(runner.accessKeyId!, assembly.handlerRoleStatements(STACK_NAME, { references: stackReferences }));
  const template = assembly.template(STACK_NAME);
  return {
    emulator,
    cloudFormation,
    runner,
    stack,
    logicalId: (constructId) => {
      const found = Object.entries(template.Resources).find(
        ([, resource]) => (resource.Metadata?.['aws:cdk:path'] as string | undefined) === `${STACK_NAME}/${constructId}/Resource/Default`,
      );
      if (!found) throw new Error(`No construct ${constructId} in ${STACK_NAME}`);
      return found[0];
    },
    close: async () => {
      await services.close();
      await Promise.all([emulator.close(), cloudFormation.close()]);
    },
  };
}
