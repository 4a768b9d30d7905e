import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * Typed view of the Connect API model excerpt. The emulator loads the JSON at
 * run time (rather than hand-copying shapes into code) so routing, input
 * parsing and validation stay in lock-step with the official model.
 */

export interface MemberRef {
  readonly shape: string;
  readonly location?: 'uri' | 'querystring' | 'header';
  readonly locationName?: string;
  readonly idempotencyToken?: boolean;
}

export interface Shape {
  readonly type: 'structure' | 'string' | 'integer' | 'list' | 'map' | 'boolean' | 'long';
  readonly required?: string[];
  readonly members?: Record<string, MemberRef>;
  readonly member?: string;
  readonly key?: string;
  readonly value?: string;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: string[];
  readonly httpStatus?: number;
}

export interface Operation {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string };
  readonly input: string;
  readonly output?: string;
  readonly errors: string[];
}

interface RawModel {
  operations: Record<string, Omit<Operation, 'name'>>;
  shapes: Record<string, Shape>;
}

/** Where the model copy lives: next to this file, both as .ts (ts-jest) and as compiled .js. */
export const MODEL_PATH = join(__dirname, 'connect-phone-number-api.json');

const raw = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as RawModel;

export const shapes: Readonly<Record<string, Shape>> = raw.shapes;

export const operations: Readonly<Record<string, Operation>> = Object.fromEntries(
  Object.entries(raw.operations).map(([name, op]) => [name, { ...op, name }]),
);

export function shape(name: string): Shape {
  const s = shapes[name];
  if (!s) throw new Error(`Shape ${name} is not in the model`);
  return s;
}

/**
 * Compiles a model pattern into a RegExp.
 *
 * Two quirks of the published model are handled here:
 * - some patterns are double-escaped (PhoneNumber is `\\+[1-9]\\d{1,14}$` in the
 *   JSON, i.e. two backslashes); the documented, enforced pattern is `\+[1-9]\d{1,14}$`,
 *   so a doubled backslash is collapsed to one;
 * - TagKey uses Unicode property classes (`\p{L}`), which need the `u` flag.
 * Patterns are applied as a whole-value match: the service rejects e.g. `x+1206...`
 * even though the unanchored regex would find a match inside it.
 */
export function compilePattern(pattern: string): RegExp {
  const normalised = pattern.replace(/\\\\/g, '\\');
  const body = normalised.replace(/^\^/, '').replace(/\$$/, '');
  return new RegExp(`^(?:${body})$`, 'u');
}
