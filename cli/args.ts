/**
 * Command-line parsing. Hand-written rather than a dependency: the package has no runtime dependencies,
 * and the grammar is small (two commands, a few options, numbers or ARNs as operands). Everything that can
 * be checked without AWS is checked here, so bad input fails before the first call (exit 2).
 */
import { PHONE_NUMBER_ARN_PATTERN } from '../lib/shared/contract';
import { UsageError } from './errors';
import { isNumberState, NumberState, RELEASABLE_STATES, STATES } from './states';

export type Command = 'list' | 'release';

export interface CliArgs {
  readonly command: Command | 'help';
  readonly region?: string;
  readonly profile?: string;
  readonly stack?: string;
  readonly json: boolean;
  /** `--state a,b`: list shows only these; release releases numbers in these states. */
  readonly states?: readonly NumberState[];
  /** Release operands: E.164 numbers and phone number ARNs. */
  readonly numbers: readonly string[];
  readonly arns: readonly string[];
  readonly dryRun: boolean;
  readonly yes: boolean;
}

const VALUE_OPTIONS = new Set(['--region', '--profile', '--stack', '--state']);
const FLAG_OPTIONS = new Set(['--json', '--dry-run', '--yes', '--help', '-h']);
/** E.164: a plus sign and up to 15 digits, the first not 0. */
const E164 = /^\+[1-9]\d{1,14}$/;

export function parseArgs(argv: readonly string[]): CliArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        throw new UsageError(`${name} needs a value.`);
      }
      values.set(name, value);
    } else if (FLAG_OPTIONS.has(name) && inline === undefined) {
      flags.add(name);
    } else if (arg.startsWith('-') && !E164.test(arg)) {
      throw new UsageError(`Unknown option ${arg}.`);
    } else {
      operands.push(arg);
    }
  }
  if (flags.has('--help') || flags.has('-h') || operands.length === 0) {
    return { command: 'help', json: false, numbers: [], arns: [], dryRun: false, yes: false };
  }
  const [command, ...rest] = operands;
  if (command !== 'list' && command !== 'release') {
    throw new UsageError(`Unknown command ${JSON.stringify(command)}: use list or release.`);
  }
  const states = values.has('--state') ? parseStates(values.get('--state')!) : undefined;
  const parsed = {
    command,
    region: values.get('--region'),
    profile: values.get('--profile'),
    stack: values.get('--stack'),
    json: flags.has('--json'),
    states,
    numbers: rest.filter((operand) => !operand.startsWith('arn:')),
    arns: rest.filter((operand) => operand.startsWith('arn:')),
    dryRun: flags.has('--dry-run'),
    yes: flags.has('--yes'),
  } as const;
  return command === 'list' ? checkList(parsed) : checkRelease(parsed);
}

function parseStates(value: string): NumberState[] {
  const states = value.split(',').map((state) => state.trim()).filter((state) => state !== '');
  const unknown = states.filter((state) => !isNumberState(state));
  if (unknown.length > 0 || states.length === 0) {
    throw new UsageError(`Unknown state ${unknown.map((s) => JSON.stringify(s)).join(', ') || '""'}: states are ${STATES.join(', ')}.`);
  }
  return states as NumberState[];
}

function checkList(args: CliArgs): CliArgs {
  if (args.numbers.length + args.arns.length > 0) {
    throw new UsageError(`list takes no numbers (got ${[...args.numbers, ...args.arns].join(' ')}); use --stack or --state to narrow it.`);
  }
  if (args.dryRun || args.yes) {
    throw new UsageError('--dry-run and --yes belong to release.');
  }
  return args;
}

function checkRelease(args: CliArgs): CliArgs {
  const notE164 = args.numbers.filter((number) => !E164.test(number));
  if (notE164.length > 0) {
    throw new UsageError(`Not an E.164 phone number: ${notE164.join(', ')} (expected + and up to 15 digits, e.g. +12065550100).`);
  }
  const badArns = args.arns.filter((arn) => !PHONE_NUMBER_ARN_PATTERN.test(arn));
  if (badArns.length > 0) {
    throw new UsageError(`Not an Amazon Connect phone number ARN: ${badArns.join(', ')}.`);
  }
  if (args.states?.includes('in-use')) {
    throw new UsageError(`release never releases in-use numbers: a stack holds them. States it can release: ${RELEASABLE_STATES.join(', ')}.`);
  }
  if (!args.states && args.numbers.length + args.arns.length === 0) {
    throw new UsageError(`Say what to release: --state ${RELEASABLE_STATES.join(',')} and/or numbers or ARNs.`);
  }
  return args;
}
