/** How CloudFormation turns template properties into request properties, and when it sees them as changed. */
import { Properties } from './types';

/** CloudFormation sends scalar property values as strings; maps and lists keep their shape. */
export function asCloudFormationSends(value: unknown): Properties {
  return stringifyScalars(value) as Properties;
}

function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, stringifyScalars(inner)]));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

/** Whether two property sets are the same template values (key order does not matter, list order does). */
export function sameProperties(a: Properties, b: Properties): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Properties)
      .filter(([, inner]) => inner !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** A deep copy, so that callers editing their objects later do not change what the model remembers. */
export function copyProperties(properties: Properties): Properties {
  return JSON.parse(JSON.stringify(properties)) as Properties;
}
