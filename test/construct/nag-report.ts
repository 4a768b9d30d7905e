/** Synthesizing an app with cdk-nag's AwsSolutions checks registered as a user would, and reading its report. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** The parts of cdk's validation-report.json the tests read. */
export interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    conclusion: string;
    violations: Array<{ ruleName: string; violatingResources: Array<{ resourceLogicalId: string }> }>;
  }>;
}

/** Builds an app with `build`, synthesizes it with AwsSolutionsChecks, and returns the report and what synth threw. */
export function synthWithNag(build: (app: App) => void): { error?: unknown; report: ValidationReport } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-'));
  try {
    const app = new App({ outdir });
    build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    return { error, report };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
