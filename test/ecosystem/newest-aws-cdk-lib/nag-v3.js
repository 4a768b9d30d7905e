// Run by scripts/ci-pack-install.sh in a temporary app where the packed library is installed next to the
// releases locked here (the newest aws-cdk-lib and cdk-nag): every kind of number, in an environment-agnostic
// stack and in one with an account and Region (cdk-nag's finding ids differ), checked by cdk-nag v3's
// AwsSolutions pack as its README registers it. The user acknowledges nothing; any finding fails.
//   node nag-v3.js <package name>
const fs = require('fs');
const path = require('path');
const { App, RemovalPolicy, Stack, Tags, Validations } = require('aws-cdk-lib');
const connect = require('aws-cdk-lib/aws-connect');
const lambda = require('aws-cdk-lib/aws-lambda');
const { AwsSolutionsChecks } = require('cdk-nag');

const pkgName = process.argv[2];
const { ClaimedPhoneNumber, PhoneNumberType } = require(pkgName);
const versions = `aws-cdk-lib ${require('aws-cdk-lib/package.json').version} and cdk-nag ${require('cdk-nag/package.json').version} on Node.js ${process.versions.node}`;
const fail = (msg) => {
  console.error(`${versions}: ${msg}`);
  process.exit(1);
};

const outdir = path.join(process.cwd(), 'cdk.out.nag-v3');
const app = new App({ outdir });
const instanceId = '4f3b2a1c-0d9e-4a8b-9c7d-6e5f4a3b2c1d';
for (const [id, env] of [['NewestAgnostic', undefined], ['NewestWithEnv', { account: '123456789012', region: 'us-east-1' }]]) {
  const stack = new Stack(app, id, { env });
  const instance = new connect.CfnInstance(stack, 'Instance', {
    identityManagementType: 'CONNECT_MANAGED',
    instanceAlias: 'newest-check',
    attributes: { inboundCalls: true, outboundCalls: true },
  });
  const group = new connect.CfnTrafficDistributionGroup(stack, 'Group', { instanceArn: instance.attrArn, name: 'newest-check' });
  const flow = new connect.CfnContactFlow(stack, 'Flow', { instanceArn: instance.attrArn, name: 'callback', type: 'CONTACT_FLOW', content: '{}' });
  // A specific number to an instance id, kept on delete; one to a traffic distribution group by ARN.
  new ClaimedPhoneNumber(stack, 'Support', {
    phoneNumber: '+12065550100',
    instanceId,
    description: 'Support line',
    tags: { team: 'support' },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new ClaimedPhoneNumber(stack, 'Sales', {
    phoneNumber: '+18335550199',
    targetArn: 'arn:aws:connect:us-east-1:123456789012:traffic-distribution-group/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  });
  // Search and claim to a typed instance, routed to a contact flow; a typed traffic distribution group.
  new ClaimedPhoneNumber(stack, 'Callback', {
    search: { countryCode: 'US', numberType: PhoneNumberType.TOLL_FREE, prefix: '+1833' },
    instance,
    contactFlow: flow,
  });
  new ClaimedPhoneNumber(stack, 'Global', { phoneNumber: '+18335550177', trafficDistributionGroup: group });
  // Adoption of a number claimed elsewhere, an import from AWS End User Messaging SMS, a reference only.
  new ClaimedPhoneNumber(stack, 'Adopted', { phoneNumber: '+12065550111', instanceId, adoptExisting: true });
  new ClaimedPhoneNumber(stack, 'Imported', {
    sourcePhoneNumberArn: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef',
    instanceId,
  });
  ClaimedPhoneNumber.fromPhoneNumberArn(stack, 'Legacy', 'arn:aws:connect:us-east-1:123456789012:phone-number/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  ClaimedPhoneNumber.configureProvider(stack, { logRemovalPolicy: RemovalPolicy.DESTROY });
  Tags.of(stack).add('cost-center', 'contact-center');
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

let error;
try {
  app.synth();
} catch (e) {
  error = e;
}
const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
const findings = report.pluginReports.flatMap((r) =>
  r.violations.flatMap((v) =>
    (v.violatingConstructs ?? v.violatingResources ?? [{}]).map((c) => `${v.ruleName} ${c.constructPath ?? c.resourceLogicalId ?? ''}`),
  ),
);
if (findings.length > 0) fail(`cdk-nag reports ${findings.length} finding(s):\n${findings.join('\n')}`);
if (error) fail(`synth failed: ${String(error.message ?? error).split('\n').slice(0, 20).join('\n')}`);

const template = JSON.parse(fs.readFileSync(path.join(outdir, 'NewestAgnostic.template.json'), 'utf8'));
const resources = Object.values(template.Resources);
const numbers = resources.filter((r) => r.Type === 'Custom::ClaimedPhoneNumber');
if (numbers.length !== 6) fail(`${numbers.length} numbers synthesized, expected 6`);
const handlers = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && /^Custom::ClaimedPhoneNumber /.test(r.Properties.Description ?? ''));
if (handlers.length !== 2 || handlers.some((h) => h.Properties.Runtime !== 'nodejs24.x')) fail('the handler functions are not the two on nodejs24.x');
const newestNode = lambda.Runtime.ALL.map(String)
  .filter((name) => /^nodejs\d/.test(name))
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  .pop();
console.log(`${versions} (newest Node.js runtime it knows: ${newestNode}): 6 kinds of number in 2 stacks, no finding, nothing acknowledged by the user`);
