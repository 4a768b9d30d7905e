/**
 * Optional IAM enforcement: the emulator can check each request against the identity-based policy of the
 * caller, found by the access key id in the SigV4 `Authorization` header
 * (`Credential=<AKID>/<date>/<region>/connect/aws4_request`). Callers whose key has no policy registered
 * are not checked at all, so enforcement is opt-in per key.
 *
 * The action is `connect:<OperationName>`; the resources are the ones the Connect service authorization
 * reference lists for the operation (see `requiredResources`). A request is allowed when every required
 * resource is matched by an Allow statement that also matches the action, and no Deny statement matches
 * the action and any of them; otherwise it gets 403 AccessDeniedException naming the first resource that
 * is not allowed, like the real service.
 *
 * Deliberate simplifications compared with IAM:
 * - identity-based statements only: no resource policies, SCPs, permission boundaries or session policies;
 * - `Condition`, `NotAction`, `NotResource` and `Principal` are not supported: a statement that uses one is
 *   refused when it is registered instead of being half-evaluated;
 * - explicit Deny is honoured (it wins over any Allow), but no other Deny semantics (e.g. conditional Deny);
 * - `*` and `?` match any characters, including `:` and `/` (IAM does the same inside the resource part,
 *   but also keeps ARN segments apart); actions are matched case-insensitively, resources case-sensitively;
 * - a ClaimPhoneNumber's phone-number resource is `arn:...:phone-number/*` (the number's id does not exist
 *   before the claim), so only a statement whose resource matches that literal string allows it;
 * - a resource the request does not name (a missing member) is not required: validation rejects the
 *   request afterwards anyway.
 */
import { ApiError } from './errors';

/** One statement of an identity-based policy, in the JSON form IAM uses. */
export interface PolicyStatement {
  /** Default 'Allow'. */
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Sid?: string;
}

/** Policies by access key id. */
export type IamPolicies = { [accessKeyId: string]: PolicyStatement[] };

const UNSUPPORTED = ['Condition', 'NotAction', 'NotResource', 'Principal', 'NotPrincipal'];

/** Checks the statements' shape and returns a normalized copy (lists everywhere, Effect set). */
export function normalizeStatements(statements: unknown): PolicyStatement[] {
  if (!Array.isArray(statements)) throw new Error('IAM policy statements must be an array');
  return statements.map((raw, i) => {
    const s = raw as Record<string, unknown>;
    if (typeof s !== 'object' || s === null) throw new Error(`Statement ${i} is not an object`);
    const unsupported = UNSUPPORTED.filter((key) => key in s);
    if (unsupported.length > 0) throw new Error(`Statement ${i}: ${unsupported.join(', ')} not supported by the emulator`);
    const effect = s.Effect ?? 'Allow';
    if (effect !== 'Allow' && effect !== 'Deny') throw new Error(`Statement ${i}: Effect must be Allow or Deny`);
    const list = (key: string): string[] => {
      const v = s[key];
      const values = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(values) || values.length === 0 || values.some((x) => typeof x !== 'string')) {
        throw new Error(`Statement ${i}: ${key} must be a string or a non-empty list of strings`);
      }
      return values as string[];
    };
    return { ...(typeof s.Sid === 'string' ? { Sid: s.Sid } : {}), Effect: effect, Action: list('Action'), Resource: list('Resource') };
  });
}

/** The access key id of a SigV4 `Authorization` header, if any. */
export function accessKeyFromAuthorization(header: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(header ?? '')?.[1];
}

const patternCache = new Map<string, RegExp>();

/** IAM wildcard match: `*` any run of characters, `?` any one character. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = patternCache.get(key);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    patternCache.set(key, re);
  }
  return re.test(value);
}

const asList = (v: string | readonly string[]): readonly string[] => (typeof v === 'string' ? [v] : v);

function statementMatches(statement: PolicyStatement, action: string, resource: string): boolean {
  return (
    asList(statement.Action).some((pattern) => wildcardMatch(pattern, action, true)) &&
    asList(statement.Resource).some((pattern) => wildcardMatch(pattern, resource))
  );
}

export type Decision = { allowed: true } | { allowed: false; resource: string; explicitDeny: boolean };

/** Evaluates `action` on every resource in `resources` against `statements`. */
export function evaluate(statements: readonly PolicyStatement[], action: string, resources: readonly string[]): Decision {
  if (resources.length === 0) {
    // A request that names no resource (validation rejects it next) still needs the action somewhere.
    const granted = statements.some((s) => (s.Effect ?? 'Allow') === 'Allow' && asList(s.Action).some((p) => wildcardMatch(p, action, true)));
    return granted ? { allowed: true } : { allowed: false, resource: '*', explicitDeny: false };
  }
  for (const resource of resources) {
    if (statements.some((s) => s.Effect === 'Deny' && statementMatches(s, action, resource))) {
      return { allowed: false, resource, explicitDeny: true };
    }
  }
  for (const resource of resources) {
    if (!statements.some((s) => (s.Effect ?? 'Allow') === 'Allow' && statementMatches(s, action, resource))) {
      return { allowed: false, resource, explicitDeny: false };
    }
  }
  return { allowed: true };
}

/** The AccessDeniedException the real service answers, message included. */
export function accessDenied(accessKeyId: string, action: string, resource: string, explicitDeny: boolean): ApiError {
  const why = explicitDeny
    ? 'with an explicit deny in an identity-based policy'
    : `because no identity-based policy allows the ${action} action`;
  return new ApiError('AccessDeniedException', `User: ${accessKeyId} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
}

export interface ResourceContext {
  readonly region: string;
  readonly accountId: string;
  /** The ARN of the phone number a PhoneNumberId (id or ARN) names, if the emulator knows it. */
  readonly phoneNumberArn: (idOrArn: string) => string | undefined;
}

/**
 * The resources Connect authorizes an operation on (service authorization reference, "Actions defined by
 * Amazon Connect"), built from the request input.
 */
export function requiredResources(operation: string, input: Record<string, unknown>, ctx: ResourceContext): string[] {
  const prefix = `arn:aws:connect:${ctx.region}:${ctx.accountId}`;
  const str = (name: string): string | undefined => (typeof input[name] === 'string' && input[name] !== '' ? (input[name] as string) : undefined);
  const phoneNumber = (): string[] => {
    const id = str('PhoneNumberId');
    if (id === undefined) return [];
    return [id.startsWith('arn:') ? id : (ctx.phoneNumberArn(id) ?? `${prefix}:phone-number/${id}`)];
  };
  const instanceArn = (instanceId: string): string => (instanceId.startsWith('arn:') ? instanceId : `${prefix}:instance/${instanceId}`);
  const target = (): string[] => {
    const instanceId = str('InstanceId');
    if (instanceId !== undefined) return [instanceArn(instanceId)];
    const targetArn = str('TargetArn');
    return targetArn !== undefined ? [targetArn] : [];
  };
  switch (operation) {
    case 'DescribePhoneNumber':
    case 'ReleasePhoneNumber':
    case 'UpdatePhoneNumberMetadata':
    case 'DisassociatePhoneNumberContactFlow':
      return phoneNumber();
    case 'AssociatePhoneNumberContactFlow': {
      const instanceId = str('InstanceId');
      const flowId = str('ContactFlowId');
      const flow = instanceId !== undefined && flowId !== undefined ? [`${instanceArn(instanceId)}/contact-flow/${flowId}`] : [];
      return [...phoneNumber(), ...flow];
    }
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsForResource': {
      const arn = str('resourceArn');
      return arn !== undefined ? [arn] : [];
    }
    case 'ClaimPhoneNumber':
    case 'ImportPhoneNumber':
      return [...target(), `${prefix}:phone-number/*`];
    case 'UpdatePhoneNumber':
      return [...phoneNumber(), ...target()];
    default:
      // ListPhoneNumbersV2, SearchAvailablePhoneNumbers: no resource-level permissions.
      return ['*'];
  }
}
