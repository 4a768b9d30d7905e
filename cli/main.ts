#!/usr/bin/env node
/** The `cdk-claimed-phone-number` executable (bundled to dist/cli/index.js): runCli on this process. */
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTTY: { stdin: Boolean(process.stdin.isTTY), stderr: Boolean(process.stderr.isTTY) },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
