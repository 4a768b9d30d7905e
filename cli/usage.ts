/** The help text (`--help`, or no command). */
export const USAGE = `Usage: cdk-claimed-phone-number <command> [options]

Commands:
  list                      Every Amazon Connect phone number in the account and Region that carries the
                            owner tag of cdk-claimed-phone-number, its owner (stack, logical id), its state
                            (in-use, kept, retained, orphaned) and, for in-use numbers, drift from the template.
  release [number|arn ...]  Releases numbers nobody uses, chosen by --state and/or by number or ARN.
                            Never releases an in-use number.

Options:
  --region <region>         AWS Region (default: the AWS SDK's chain: AWS_REGION, then the profile's region).
  --profile <name>          Credentials and Region of this shared-config profile (default: the SDK's chain).
  --stack <name>            Only numbers owned by this stack (a root stack name covers its nested stacks).
  --state <s,...>           list: only these states. release: release numbers in these states
                            (kept, retained, orphaned).
  --json                    list: a JSON array on stdout instead of the table.
  --dry-run                 release: show what would be released, and stop.
  --yes                     release: do not ask for confirmation (needed when stdin is not a terminal).

Endpoints: AWS_ENDPOINT_URL_CONNECT and AWS_ENDPOINT_URL_CLOUDFORMATION, as the AWS SDK reads them.
Exit codes: 0 done, 1 an AWS call failed, 2 bad input (nothing was changed).
`;
