/** Synthesizes an app into a cloud assembly directory, as `cdk synth` would, for the harness to read. */
import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Builds the app with `build(app)` and synthesizes it into a fresh temporary directory; returns its path. */
export function synthesizeToDirectory(build: (app: App) => void, directory?: string): string {
  const outdir = directory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'claimed-phone-number-cdkout-'));
  // The same metadata the CDK CLI asks for: construct paths, and asset paths the harness follows to the code.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  build(app);
  app.synth();
  return outdir;
}
