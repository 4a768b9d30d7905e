/**
 * CDK Pipelines: a `pipelines.CodePipeline` deploys a Stage whose stack holds two numbers. The handler
 * is a prebuilt directory asset, so the pipeline publishes it like any file asset: a zip built from
 * dist/handler as is, with no Docker image and no bundling at synth (the synth step needs neither).
 * README "CDK Pipelines" shows the same pattern.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, FileSystem, Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { ClaimedPhoneNumber } from '../../lib';
import { HANDLER_BUNDLE_DIR } from '../../lib/claimed-phone-number-provider';
import { INSTANCE_ID, TDG_ARN } from '../construct/helpers';

const ENV = { account: '111111111111', region: 'us-east-1' };

class NumbersStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new ClaimedPhoneNumber(this, 'Support', { phoneNumber: '+12065550100', instanceId: INSTANCE_ID });
    new ClaimedPhoneNumber(this, 'Sales', { phoneNumber: '+18335550199', targetArn: TDG_ARN });
  }
}

class NumbersStage extends Stage {
  readonly numbers: NumbersStack;
  constructor(scope: Construct, id: string, props?: StageProps) {
    super(scope, id, props);
    this.numbers = new NumbersStack(this, 'Numbers');
  }
}

interface AssetManifest {
  files?: Record<string, { source: { path: string; packaging?: string; executable?: string[] } }>;
  dockerImages?: Record<string, unknown>;
}

let outdir: string;
let pipelineTemplate: Template;
let stageTemplate: Template;
let stageAssets: AssetManifest;

beforeAll(() => {
  // GIVEN an app with a pipeline stack whose pipeline deploys a stage with two numbers
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelines-'));
  const app = new App({ outdir });
  const pipelineStack = new Stack(app, 'PipelineStack', { env: ENV });
  const pipeline = new pipelines.CodePipeline(pipelineStack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('example/contact-center', 'main', {
        connectionArn: 'arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-4000-8000-000000000000',
      }),
      commands: ['npm ci', 'npm run build', 'npx cdk synth'],
    }),
  });
  const stage = new NumbersStage(app, 'Prod', { env: ENV });
  pipeline.addStage(stage);

  // WHEN the app is synthesized
  const assembly = app.synth();
  pipelineTemplate = Template.fromJSON(assembly.getStackByName('PipelineStack').template);
  const stageStack = assembly.getNestedAssembly(stage.artifactId).getStackByName(stage.numbers.stackName);
  stageTemplate = Template.fromJSON(stageStack.template);
  const manifest = stageStack.dependencies.find((d) => d.id.endsWith('.assets'));
  stageAssets = JSON.parse(fs.readFileSync(path.join(stage.outdir, `${manifest!.id.replace(/\.assets$/, '')}.assets.json`), 'utf8'));
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const handlerHash = () => FileSystem.fingerprint(HANDLER_BUNDLE_DIR);

test('the stage stack holds two numbers served by one provider', () => {
  // THEN the deployed stack has both numbers, sharing one ServiceToken
  stageTemplate.resourceCountIs(ClaimedPhoneNumber.RESOURCE_TYPE, 2);
  const tokens = Object.values(stageTemplate.findResources(ClaimedPhoneNumber.RESOURCE_TYPE)).map((r) =>
    JSON.stringify(r.Properties.ServiceToken),
  );
  expect(new Set(tokens).size).toBe(1);
});

test('the handler is a file asset: a zip of the prebuilt dist/handler, no Docker image', () => {
  // THEN the stage's asset manifest has the handler as a zipped directory named after its content hash
  const handler = stageAssets.files?.[handlerHash()];
  expect(handler).toBeDefined();
  expect(handler!.source).toEqual({ path: `../asset.${handlerHash()}`, packaging: 'zip' });
  // AND it was copied as is (no bundling output, no executable to build it)
  const staged = path.join(outdir, `asset.${handlerHash()}`);
  expect(fs.readdirSync(staged).sort()).toEqual(fs.readdirSync(HANDLER_BUNDLE_DIR).sort());
  expect(stageAssets.dockerImages ?? {}).toEqual({});
  // AND both handler functions take their code from it
  const keys = Object.values(stageTemplate.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Code.S3Key);
  expect(keys.filter((k) => k === `${handlerHash()}.zip`)).toHaveLength(2);
});

test('the pipeline publishes the handler asset in its Assets stage like any file asset', () => {
  // THEN a CodeBuild project publishes exactly that asset with cdk-assets
  const projects = Object.values(pipelineTemplate.findResources('AWS::CodeBuild::Project'));
  const commandsOf = (project: { [key: string]: unknown }): string[] => {
    const buildSpec = (project as { Properties: { Source: { BuildSpec: string } } }).Properties.Source.BuildSpec;
    const spec = JSON.parse(buildSpec) as { phases: Record<string, { commands?: string[] }> };
    return Object.values(spec.phases).flatMap((phase) => phase.commands ?? []);
  };
  const publishers = projects.filter((p) => commandsOf(p).some((c) => c.includes(`publish "${handlerHash()}:`)));
  expect(publishers).toHaveLength(1);
  const commands = commandsOf(publishers[0]).join('\n');
  expect(commands).toMatch(/^cdk-assets --path "assembly-Prod\/[^"]+\.assets\.json" --verbose publish/m);
  expect(commands).not.toMatch(/docker/i);
  // AND no project of the pipeline runs Docker (privileged mode) to build images
  for (const project of projects) {
    expect(project.Properties.Environment.PrivilegedMode ?? false).toBe(false);
  }
  // AND the pipeline has an Assets stage before the stage that deploys the numbers
  const stages = Object.values(pipelineTemplate.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages as Array<{
    Name: string;
  }>;
  const names = stages.map((s) => s.Name);
  expect(names).toContain('Assets');
  expect(names.indexOf('Assets')).toBeLessThan(names.indexOf('Prod'));
});
