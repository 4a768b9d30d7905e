import { Operation, operations, shape } from './model';
import { serializationError } from './errors';

/** One compiled `method + requestUri` route from the model. */
interface Route {
  readonly operation: Operation;
  readonly segments: readonly string[];
}

const routes: Route[] = Object.values(operations).map((operation) => ({
  operation,
  segments: splitPath(operation.http.requestUri.split('?')[0]),
}));

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export interface RouteMatch {
  readonly operation: Operation;
  /** URL-decoded path labels by their name in the requestUri, e.g. `PhoneNumberId`. */
  readonly labels: Record<string, string>;
}

/**
 * Finds the operation for a request. Matching is done on the raw (still encoded)
 * path segments so that an ARN sent as one encoded label (`arn%3Aaws%3A...%2F...`)
 * stays one segment; labels are decoded only after matching. Literal segments win
 * over labels, so `/phone-number/claim` is never taken for `/phone-number/{PhoneNumberId}`.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const parts = splitPath(rawPath);
  let best: { route: Route; literals: number } | undefined;
  for (const route of routes) {
    if (route.operation.http.method !== method || route.segments.length !== parts.length) continue;
    let literals = 0;
    let ok = true;
    route.segments.forEach((seg, i) => {
      if (seg.startsWith('{')) return;
      if (seg === parts[i]) literals += 1;
      else ok = false;
    });
    if (ok && (!best || literals > best.literals)) best = { route, literals };
  }
  if (!best) return undefined;
  const labels: Record<string, string> = {};
  best.route.segments.forEach((seg, i) => {
    if (seg.startsWith('{')) labels[seg.replace(/[{}+]/g, '')] = decodeURIComponent(parts[i]);
  });
  return { operation: best.route.operation, labels };
}

/**
 * Builds the operation input (member name -> value) from the request the way the
 * rest-json protocol binds it: `uri` members from path labels, `querystring`
 * members from their `locationName` (lists collect repeated keys), `header`
 * members from headers and everything else from the JSON body.
 */
export function bindInput(
  match: RouteMatch,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const inputShape = shape(match.operation.input);
  let json: Record<string, unknown> = {};
  if (body.trim().length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw serializationError('The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw serializationError('The request body must be a JSON object');
    }
    json = parsed as Record<string, unknown>;
  }
  for (const [name, ref] of Object.entries(inputShape.members ?? {})) {
    const wire = ref.locationName ?? name;
    switch (ref.location) {
      case 'uri':
        if (match.labels[wire] !== undefined) input[name] = match.labels[wire];
        break;
      case 'querystring': {
        const values = query.getAll(wire);
        if (values.length === 0) break;
        const memberShape = shape(ref.shape);
        if (memberShape.type === 'list') input[name] = values;
        else if (memberShape.type === 'integer') input[name] = Number(values[0]);
        else input[name] = values[0];
        break;
      }
      case 'header': {
        const value = headers[wire.toLowerCase()];
        if (value !== undefined) input[name] = Array.isArray(value) ? value[0] : value;
        break;
      }
      default:
        if (json[name] !== undefined && json[name] !== null) input[name] = json[name];
    }
  }
  return input;
}

/**
 * The region the client signed for (SigV4 credential scope
 * `Credential=AKID/20240101/eu-west-2/connect/aws4_request`), if any.
 */
export function regionFromAuthorization(header: string | undefined): string | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/.exec(header ?? '');
  return m?.[1];
}
