/**
 * What a nested stack's provider needs to know about the stacks above it. A nested stack reports
 * DELETE_IN_PROGRESS whatever its parent is doing, so the handler reads the parents (ParentId up to RootId)
 * to tell a delete the user asked for from a rollback; and a nested stack's name is generated anew each time
 * it is created, so its numbers' owner tags use a scope that survives re-creation: the root stack's name and
 * the logical ids of the nested stacks down to this one.
 */
import { ArnFormat, CfnElement, Lazy, NestedStack, Stack } from 'aws-cdk-lib';

export interface NestedStackScope {
  /** HandlerEnv.OWNER_SCOPE: `<root stack name>/<nested stack logical id>/...`. */
  readonly ownerScope: string;
  /** The stacks the handler may describe besides its own: the root and every nested stack under it. */
  readonly ancestorStackArns: string[];
}

/** Undefined for a top-level stack, whose owner tags use its own name (as 0.2.0 did). */
export function nestedStackScopeOf(stack: Stack): NestedStackScope | undefined {
  if (!stack.nested) {
    return undefined;
  }
  const path: NestedStack[] = [];
  let root: Stack = stack;
  while (root.nested && root.nestedStackParent) {
    path.unshift(root as NestedStack);
    root = root.nestedStackParent;
  }
  const rootName = root.stackName;
  // Resolved at synthesis, so that an overridden logical id of a nested stack resource is the one used.
  const ownerScope = Lazy.string({
    produce: () => [rootName, ...path.map((nested) => nested.nestedStackParent!.resolve((nested.nestedStackResource as CfnElement).logicalId))].join('/'),
  });
  // Nested stacks are named `<parent name>-<logical id>-<suffix>`, so every stack under the root starts with `<root>-`.
  const stackArn = (name: string) => stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  return { ownerScope, ancestorStackArns: [stackArn(rootName), stackArn(`${rootName}-*`)] };
}
