/**
 * The handler bundle under the IAM policy the construct synthesizes for its role: the emulator authorizes
 * every call the handler functions sign with the runner's key against exactly the statements of the
 * template, so a call the synthesized policy does not allow fails as it would after a real deployment.
 */
import { PhoneNumberType } from '../../lib';
import { PolicyStatement } from '../../emulator';
import { CfnResponse, CloudAssembly, enforceRolePolicy, ResolvedPolicyStatement } from '../../harness';
import { INSTANCE_ID, OTHER_INSTANCE_ID, STACK_NAME, startWorld, synthesizeE2eApp, TDG_ARN, World } from './world';

/** An instance that exists in the account, but that no construct of the stack declares. */
const UNDECLARED_INSTANCE_ID = '12121212-3434-4565-8787-909090909090';
const FLOW_ID = 'f1f1f1f1-0000-4000-8000-000000000001';
const FLOW_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`;
const SEARCH = { countryCode: 'US', numberType: PhoneNumberType.DID, prefix: '+1206555010' };
const searchProps = { PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID', PhoneNumberPrefix: '+1206555010', InstanceId: INSTANCE_ID };

let declaredOnly: CloudAssembly;
let withSearch: CloudAssembly;

beforeAll(() => {
  // The e2e stack (Support on INSTANCE_ID, Sales on a TDG), plus a number on the other instance (so a move
  // there is within the stack's policy) and one routed to a contact flow.
  declaredOnly = synthesizeE2eApp({
    Other: { phoneNumber: '+12065550120', instanceId: OTHER_INSTANCE_ID },
    Routed: { phoneNumber: '+12065550121', instanceId: INSTANCE_ID, contactFlowArn: FLOW_ARN },
  });
  // The same stack with a construct that declares a search instead of a number.
  withSearch = synthesizeE2eApp({ Searched: { search: SEARCH, instanceId: INSTANCE_ID } });
});

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A world whose emulator enforces the assembly's handler role policy on the handler's access key. */
async function enforcedWorld(assembly: CloudAssembly): Promise<{ world: World; statements: ResolvedPolicyStatement[] }> {
  world = await startWorld(assembly, { emulator: { instances: [INSTANCE_ID, OTHER_INSTANCE_ID, UNDECLARED_INSTANCE_ID] } });
  world.emulator.addContactFlow(INSTANCE_ID, FLOW_ID);
  const statements = enforceRolePolicy(world.emulator, assembly, STACK_NAME, world.runner.accessKeyId);
  return { world, statements };
}

const denials = (w: World) => w.emulator.calls.filter((call) => call.errorType === 'AccessDeniedException');

describe('The handler under the synthesized role policy', () => {
  test('the harness reads the role policy with pseudo parameters resolved', async () => {
    // WHEN the statements of the handler role are read for the emulator's region and account
    const { statements } = await enforcedWorld(declaredOnly);
    const connect = statements.filter((s) => s.Action.some((a) => a.startsWith('connect:')));
    const claim = connect.find((s) => s.Action.includes('connect:ClaimPhoneNumber'));
    // THEN claim/move are scoped to the declared targets, and nothing is left unresolved in Connect statements
    expect(claim?.Resource.sort()).toEqual(
      [
        'arn:aws:connect:us-east-1:123456789012:phone-number/*',
        `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`,
        `arn:aws:connect:us-east-1:123456789012:instance/${OTHER_INSTANCE_ID}`,
        TDG_ARN,
      ].sort(),
    );
    expect(JSON.stringify(connect)).not.toContain('unresolved');
    expect(world?.emulator.policies(world.runner.accessKeyId as string)).toHaveLength(statements.length);
  });

  test('create, update of description and tags, a move to another declared instance, and delete all pass', async () => {
    // GIVEN the synthesized policy enforced
    const { world: w } = await enforcedWorld(declaredOnly);
    const support = w.logicalId('Support');
    // WHEN the number goes through its whole lifecycle
    const created = await w.stack.create(support);
    const props = w.stack.declaredProperties(support);
    const changed = { ...props, PhoneNumberDescription: 'Support (24/7)', Tags: { team: 'care', tier: '1' } };
    const retagged = await w.stack.update(support, changed);
    const moved = await w.stack.update(support, { ...changed, InstanceId: OTHER_INSTANCE_ID });
    const movedRecord = w.emulator.numberByPhone('+12065550100');
    const deleted = await w.stack.delete(support);
    // THEN every step succeeded without a single denied call
    expect(denials(w)).toEqual([]);
    for (const response of [created, retagged, moved, deleted]) expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(movedRecord).toMatchObject({ instanceId: OTHER_INSTANCE_ID, description: 'Support (24/7)', tags: expect.objectContaining({ team: 'care', tier: '1' }) });
    expect(w.emulator.claimedNumbers()).toHaveLength(0);
  });

  test('a number on a traffic distribution group and one routed to a contact flow are created and deleted', async () => {
    // GIVEN the synthesized policy enforced
    const { world: w } = await enforcedWorld(declaredOnly);
    const sales = w.logicalId('Sales');
    const routed = w.logicalId('Routed');
    // WHEN both are created and deleted
    const responses = [await w.stack.create(sales), await w.stack.create(routed)];
    const routedRecord = w.emulator.numberByPhone('+12065550121');
    responses.push(...((await Promise.all([w.stack.delete(sales), w.stack.delete(routed)])) as typeof responses));
    // THEN the TDG claim and the flow association were allowed
    expect(denials(w)).toEqual([]);
    for (const response of responses) expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(routedRecord?.contactFlowId).toBe(FLOW_ID);
    expect(w.emulator.calls.map((call) => call.operation)).toEqual(expect.arrayContaining(['AssociatePhoneNumberContactFlow', 'ReleasePhoneNumber']));
  });

  test('search-and-claim works under the policy of a stack with a search-declaring construct', async () => {
    // GIVEN the policy synthesized for a construct that declares a search
    const { world: w } = await enforcedWorld(withSearch);
    const searched = w.logicalId('Searched');
    // WHEN the resource is created, then deleted
    const created = await w.stack.create(searched, searchProps);
    const claimed = w.emulator.claimedNumbers().map((record) => record.phoneNumber);
    const deleted = await w.stack.delete(searched);
    // THEN it searched, claimed one matching number and released it, none of it denied
    expect(denials(w)).toEqual([]);
    expect(created).toMatchObject({ Status: 'SUCCESS' });
    expect(created.Data?.PhoneNumber).toMatch(/^\+1206555010\d$/);
    expect(claimed).toEqual([created.Data?.PhoneNumber]);
    expect(w.emulator.calls.some((call) => call.operation === 'SearchAvailablePhoneNumbers')).toBe(true);
    expect(deleted).toMatchObject({ Status: 'SUCCESS' });
  });

  test('without a search-declaring construct the role may not search', async () => {
    // GIVEN the policy of a stack with literal numbers only
    const { world: w } = await enforcedWorld(declaredOnly);
    // WHEN a resource asks for a search anyway (a template edited by hand)
    const response = await w.stack.create(w.logicalId('Support'), searchProps);
    // THEN the search is denied and the create fails with nothing claimed
    expect(response).toMatchObject({ Status: 'FAILED' });
    expect(denials(w).map((call) => call.operation)).toContain('SearchAvailablePhoneNumbers');
    expect(w.emulator.claimedNumbers()).toHaveLength(0);
  });

  test('a claim to an instance no construct of the stack declares is denied, and so is a move to another account', async () => {
    // GIVEN the synthesized policy enforced
    const { world: w } = await enforcedWorld(declaredOnly);
    const support = w.logicalId('Support');
    const props = w.stack.declaredProperties(support);
    // WHEN a resource is created on an instance outside the stack's declarations
    const claim = await w.stack.create(support, { ...props, InstanceId: UNDECLARED_INSTANCE_ID });
    // THEN Connect denied the claim on that instance and the create failed with nothing claimed
    expect(claim).toMatchObject({ Status: 'FAILED' });
    expect(claim.Reason).toContain(`is not authorized to perform: connect:ClaimPhoneNumber on resource: arn:aws:connect:us-east-1:123456789012:instance/${UNDECLARED_INSTANCE_ID}`);
    expect(denials(w)[0]).toMatchObject({ operation: 'ClaimPhoneNumber', httpStatus: 403 });
    expect(w.emulator.claimedNumbers()).toHaveLength(0);

    // AND WHEN a number created on a declared instance is moved to an instance of another account (moves are
    // allowed to any target of the stack's own account and Region, so that rollbacks can move numbers back)
    const created = await w.stack.create(support);
    const { InstanceId: _instance, ...rest } = props;
    const move = await w.stack.update(support, { ...rest, TargetArn: `arn:aws:connect:us-east-1:999999999999:instance/${UNDECLARED_INSTANCE_ID}` });
    // THEN the move is denied and the number stays where it was
    expect(created).toMatchObject({ Status: 'SUCCESS' });
    expect(move).toMatchObject({ Status: 'FAILED' });
    expect(denials(w).map((call) => call.operation)).toContain('UpdatePhoneNumber');
    expect(w.emulator.numberByPhone('+12065550100')?.instanceId).toBe(INSTANCE_ID);
  });
});

/**
 * A deployment that changes what the stack declares also changes the role policy, and CloudFormation
 * updates the policy before the custom resources that depend on it (the handler functions depend on it).
 * The requests below run under the NEW template's policy, as they do in CloudFormation:
 * - an in-place update and the cleanup Delete of a removed resource always do;
 * - the reverse Update of a rollback does when CloudFormation reverts the custom resource before the
 *   policy (or before the reverted policy has propagated in IAM).
 * Each needs a call that a policy naming only the new template's targets and flows would deny; the
 * construct's policy allows DisassociatePhoneNumberContactFlow on every phone number, and UpdatePhoneNumber
 * and AssociatePhoneNumberContactFlow on every target and flow of the account and Region, for them.
 */
describe('Requests that run under the policy of the next template', () => {
  const FLOW2 = 'f2f2f2f2-0000-4000-8000-000000000002';
  const FLOW2_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/contact-flow/${FLOW2}`;
  const OTHER = { phoneNumber: '+12065550120', instanceId: OTHER_INSTANCE_ID };
  let routedRemoved: CloudAssembly;
  let flowRemoved: CloudAssembly;
  let flowChanged: CloudAssembly;
  let supportMoved: CloudAssembly;

  beforeAll(() => {
    routedRemoved = synthesizeE2eApp({ Other: OTHER });
    flowRemoved = synthesizeE2eApp({ Other: OTHER, Routed: { phoneNumber: '+12065550121', instanceId: INSTANCE_ID } });
    flowChanged = synthesizeE2eApp({ Other: OTHER, Routed: { phoneNumber: '+12065550121', instanceId: INSTANCE_ID, contactFlowArn: FLOW2_ARN } });
    supportMoved = synthesizeE2eApp({ Support: { phoneNumber: '+12065550100', instanceId: OTHER_INSTANCE_ID, description: 'Support line', tags: { team: 'support' } } });
  });

  /** Deploys `next`'s policy, as CloudFormation does before it touches the custom resources. */
  const deployPolicyOf = (w: World, next: CloudAssembly) => enforceRolePolicy(w.emulator, next, STACK_NAME, w.runner.accessKeyId);
  const propsIn = (assembly: CloudAssembly, logicalId: string) => assembly.claimedNumbers(STACK_NAME).find((r) => r.logicalId === logicalId)!.properties;

  // connect:DisassociatePhoneNumberContactFlow must not depend on a construct still declaring a flow: the
  // cleanup Delete of the last one needs it, or Connect refuses the release.
  test('removing the last construct with a contact flow releases its number in the cleanup phase', async () => {
    const { world: w } = await enforcedWorld(declaredOnly);
    const routed = w.logicalId('Routed');
    await w.stack.create(routed);
    deployPolicyOf(w, routedRemoved);
    const response = await w.stack.delete(routed);
    expect(denials(w)).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(w.emulator.claimedNumbers().map((r) => r.phoneNumber)).not.toContain('+12065550121');
  });

  // The same, on an in-place update: the construct stays, its (the stack's last) flow is removed.
  test('removing the last contact flow from a construct removes the association', async () => {
    const { world: w } = await enforcedWorld(declaredOnly);
    const routed = w.logicalId('Routed');
    await w.stack.create(routed);
    deployPolicyOf(w, flowRemoved);
    const response = await w.stack.update(routed, propsIn(flowRemoved, routed));
    expect(denials(w)).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    expect(w.emulator.numberByPhone('+12065550121')?.contactFlowId).toBeUndefined();
  });

  // The policy may still be the new one during the rollback: the old instance is no longer a declared
  // target, and connect:UpdatePhoneNumber back to it must still be allowed (else UPDATE_ROLLBACK_FAILED).
  test('a move rolled back returns the number to an instance the new template no longer declares', async () => {
    const { world: w } = await enforcedWorld(declaredOnly);
    const support = w.logicalId('Support');
    await w.stack.create(support);
    deployPolicyOf(w, supportMoved);
    expect(await w.stack.update(support, propsIn(supportMoved, support))).toMatchObject({ Status: 'SUCCESS' });
    const rollback = await w.stack.rollbackUpdate(support);
    expect(denials(w)).toEqual([]);
    expect(rollback).toMatchObject({ Status: 'SUCCESS' });
    expect(w.emulator.numberByPhone('+12065550100')?.instanceId).toBe(INSTANCE_ID);
  });

  // The same for connect:AssociatePhoneNumberContactFlow on the previous flow's ARN.
  test('a contact-flow change rolled back associates the previous flow again', async () => {
    const { world: w } = await enforcedWorld(declaredOnly);
    w.emulator.addContactFlow(INSTANCE_ID, FLOW2);
    const routed = w.logicalId('Routed');
    await w.stack.create(routed);
    deployPolicyOf(w, flowChanged);
    expect(await w.stack.update(routed, propsIn(flowChanged, routed))).toMatchObject({ Status: 'SUCCESS' });
    const rollback = await w.stack.rollbackUpdate(routed);
    expect(denials(w)).toEqual([]);
    expect(rollback).toMatchObject({ Status: 'SUCCESS' });
    expect(w.emulator.numberByPhone('+12065550121')?.contactFlowId).toBe(FLOW_ID);
  });

  test('control: the same sequences under a policy that keeps the previous declarations all pass', async () => {
    // GIVEN the first template's policy plus the next one's (what a policy that never narrows would grant)
    const { world: w, statements } = await enforcedWorld(declaredOnly);
    w.emulator.addContactFlow(INSTANCE_ID, FLOW2);
    const union = [...statements, ...flowChanged.handlerRoleStatements(STACK_NAME), ...supportMoved.handlerRoleStatements(STACK_NAME)];
    w.emulator.setPolicies(w.runner.accessKeyId as string, union as PolicyStatement[]);
    const routed = w.logicalId('Routed');
    const support = w.logicalId('Support');
    await w.stack.create(routed);
    await w.stack.create(support);
    // WHEN the flow change and the move are rolled back and the routed number is removed
    const responses = [
      await w.stack.update(routed, propsIn(flowChanged, routed)),
      await w.stack.rollbackUpdate(routed),
      await w.stack.update(support, propsIn(supportMoved, support)),
      await w.stack.rollbackUpdate(support),
      (await w.stack.delete(routed)) as CfnResponse,
    ];
    // THEN nothing is denied and everything succeeds: the failures above come from the narrowed policy only
    expect(denials(w)).toEqual([]);
    for (const response of responses) expect(response).toMatchObject({ Status: 'SUCCESS' });
  });
});
