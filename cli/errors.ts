/**
 * The command's typed failures. Each carries the exit code it ends the command with, so that run-cli.ts
 * maps failures to codes in one place: 2 for input the command cannot act on (nothing was asked of AWS,
 * or nothing was changed), 1 for an AWS failure.
 */
export abstract class CliError extends Error {
  abstract readonly exitCode: 1 | 2;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: an unknown option or state, a number that is not E.164, an unknown ARN, no region. */
export class UsageError extends CliError {
  readonly exitCode = 2;
}

/** AWS refused or failed a call that retries did not get through (not throttling, which is retried). */
export class AwsFailure extends CliError {
  readonly exitCode = 1;
}
