/**
 * Reading a property of the template in force (GetTemplate, Original stage): a plain string is a value;
 * anything else (Ref, Fn::*, a parameter) is only known once CloudFormation resolves it, which the command
 * cannot do, so it is "unknown" — never a difference.
 */
import { TemplateResource } from '../lambda/stack-reader';

export const UNKNOWN = 'unknown' as const;
export type Known<T> = T | typeof UNKNOWN;

/** The property as a string, undefined when absent, UNKNOWN when not a plain string. */
export function stringProperty(resource: TemplateResource | undefined, name: string): Known<string | undefined> {
  const value = resource?.Properties?.[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : UNKNOWN;
}

/** A map of plain strings (Tags), undefined when absent, UNKNOWN when it or any value is not plain. */
export function stringMapProperty(resource: TemplateResource | undefined, name: string): Known<{ [key: string]: string } | undefined> {
  const value = resource?.Properties?.[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return UNKNOWN;
  const entries = Object.entries(value as { [key: string]: unknown });
  if (entries.some(([key, v]) => typeof v !== 'string' || key.startsWith('Fn::') || key === 'Ref')) return UNKNOWN;
  return Object.fromEntries(entries) as { [key: string]: string };
}
