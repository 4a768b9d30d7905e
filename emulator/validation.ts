import { compilePattern, MemberRef, Operation, shape, Shape } from './model';
import { invalidParameter } from './errors';

/**
 * The ClientToken shape in the model only carries `max: 500`; the API reference
 * documents the UUID pattern the service enforces, so it is added here.
 */
const CLIENT_TOKEN_PATTERN = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/** Operations whose docs say "You must enter InstanceId or TargetArn". */
const TARGET_REQUIRED = new Set(['ClaimPhoneNumber', 'UpdatePhoneNumber', 'SearchAvailablePhoneNumbers']);

const patternCache = new Map<string, RegExp>();
function patternOf(p: string): RegExp {
  let re = patternCache.get(p);
  if (!re) {
    re = compilePattern(p);
    patternCache.set(p, re);
  }
  return re;
}

/**
 * Validates an operation input against the model. Throws the first violation as
 * InvalidParameterException whose message names the member (dotted path) and
 * the rule it broke, like the real service does.
 */
export function validateInput(operation: Operation, input: Record<string, unknown>): void {
  validateStructure(shape(operation.input), input, '');
  const hasTarget = input.TargetArn !== undefined;
  const hasInstance = input.InstanceId !== undefined;
  if (TARGET_REQUIRED.has(operation.name) && hasTarget === hasInstance) {
    throw invalidParameter(
      hasTarget
        ? 'Only one of TargetArn or InstanceId may be provided, not both'
        : 'You must enter InstanceId or TargetArn',
    );
  }
  if (operation.name === 'ListPhoneNumbersV2' && hasTarget && hasInstance) {
    throw invalidParameter('Only one of TargetArn or InstanceId may be provided, not both');
  }
}

function validateStructure(s: Shape, value: Record<string, unknown>, prefix: string): void {
  for (const req of s.required ?? []) {
    if (value[req] === undefined) throw invalidParameter(`${prefix}${req} is required but was not provided`);
  }
  for (const [name, ref] of Object.entries(s.members ?? {})) {
    if (value[name] === undefined) continue;
    validateMember(ref, value[name], `${prefix}${name}`);
  }
}

function validateMember(ref: MemberRef, value: unknown, path: string): void {
  validateValue(ref.shape, value, path);
  if (ref.idempotencyToken && typeof value === 'string' && !CLIENT_TOKEN_PATTERN.test(value)) {
    throw invalidParameter(`${path} must match pattern ${CLIENT_TOKEN_PATTERN.source}`);
  }
}

function validateValue(shapeName: string, value: unknown, path: string): void {
  const s = shape(shapeName);
  switch (s.type) {
    case 'string': {
      if (typeof value !== 'string') throw invalidParameter(`${path} must be a string`);
      const length = [...value].length;
      if (s.min !== undefined && length < s.min) {
        throw invalidParameter(`${path} must have length greater than or equal to ${s.min}`);
      }
      if (s.max !== undefined && length > s.max) {
        throw invalidParameter(`${path} must have length less than or equal to ${s.max}`);
      }
      if (s.enum && !s.enum.includes(value)) {
        throw invalidParameter(`${path} must be one of the enum values [${s.enum.join(', ')}]`);
      }
      if (s.pattern && !patternOf(s.pattern).test(value)) {
        throw invalidParameter(`${path} must match pattern ${s.pattern.replace(/\\\\/g, '\\')}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParameter(`${path} must be an integer`);
      if (s.min !== undefined && value < s.min) {
        throw invalidParameter(`${path} must be greater than or equal to ${s.min}`);
      }
      if (s.max !== undefined && value > s.max) throw invalidParameter(`${path} must be less than or equal to ${s.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidParameter(`${path} must be a boolean`);
      return;
    case 'list': {
      if (!Array.isArray(value)) throw invalidParameter(`${path} must be a list`);
      if (s.min !== undefined && value.length < s.min) {
        throw invalidParameter(`${path} must have at least ${s.min} member(s)`);
      }
      if (s.max !== undefined && value.length > s.max) {
        throw invalidParameter(`${path} must have at most ${s.max} member(s)`);
      }
      value.forEach((item, i) => validateValue(s.member as string, item, `${path}[${i}]`));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidParameter(`${path} must be a map`);
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (s.min !== undefined && entries.length < s.min) {
        throw invalidParameter(`${path} must have at least ${s.min} entry(ies)`);
      }
      if (s.max !== undefined && entries.length > s.max) {
        throw invalidParameter(`${path} must have at most ${s.max} entries`);
      }
      for (const [k, v] of entries) {
        validateValue(s.key as string, k, `${path} key '${k}'`);
        validateValue(s.value as string, v, `${path}.${k}`);
      }
      return;
    }
    case 'structure':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidParameter(`${path} must be an object`);
      }
      validateStructure(s, value as Record<string, unknown>, `${path}.`);
      return;
  }
}
