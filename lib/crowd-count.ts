/**
 * The counts the handler paces its throttled retries for (lambda/retry.ts, CrowdPacing), taken from the
 * construct tree at synth: how many claimed numbers CloudFormation works on at once in one stack, and in every
 * stack of the app that may deploy at the same time in the same account and Region. Counts reach the handler
 * through its environment, never through a number's properties, which would update every number.
 */
import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RESOURCE_TYPE } from './shared/contract';
import { environmentKey } from './stack-environment';

/**
 * The most claimed numbers of `stack` that CloudFormation works on at once: numbers that depend on each other
 * (DependsOn, directly or through other resources) go in waves, so the crowd is the largest wave, not every number.
 */
export function largestWave(stack: Stack): number {
  const isNumber = (c: IConstruct): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === RESOURCE_TYPE && Stack.of(c) === stack;
  const waves = new Map<CfnResource, number>();
  const waveOf = (resource: CfnResource, path: Set<CfnResource>): number => {
    const known = waves.get(resource);
    if (known !== undefined || path.has(resource)) return known ?? 0;
    path.add(resource);
    const deps = resource.obtainDependencies().filter((d): d is CfnResource => CfnResource.isCfnResource(d));
    const wave = Math.max(0, ...deps.map((d) => waveOf(d, path) + (isNumber(d) ? 1 : 0)));
    path.delete(resource);
    waves.set(resource, wave);
    return wave;
  };
  const sizes = new Map<number, number>();
  for (const resource of stack.node.findAll().filter(isNumber)) {
    const wave = waveOf(resource, new Set());
    sizes.set(wave, (sizes.get(wave) ?? 0) + 1);
  }
  return Math.max(0, ...sizes.values());
}

/**
 * The largest waves of `stack` and of every other stack of its Stage (an App is one) that may deploy at the
 * same time in the same account and Region, summed. Stacks ordered by a dependency (addDependency, a
 * cross-stack reference) deploy one after the other, so they do not count; a nested stack deploys with its
 * parent, so it goes with its root stack. Environment-agnostic stacks all count together: they deploy wherever
 * the CLI's credentials point. This is an upper bound: `cdk deploy --all` deploys one stack at a time unless
 * told otherwise (--concurrency), while a CDK Pipelines stage deploys its independent stacks at once; the
 * handler assumes it only when its own stack's crowd proves too small.
 */
export function numbersInAccount(stack: Stack): number {
  const stage: IConstruct = Stage.of(stack) ?? stack.node.root;
  const environment = environmentKey(stack);
  const root = rootOf(stack);
  const dependencies = transitiveDependencies(root);
  const stacks = stage.node
    .findAll()
    .filter((c): c is Stack => Stack.isStack(c) && (Stage.of(c) ?? c.node.root) === stage && environmentKey(c) === environment);
  let count = 0;
  for (const other of stacks) {
    const otherRoot = rootOf(other);
    const ordered = otherRoot !== root && (dependencies.has(otherRoot) || transitiveDependencies(otherRoot).has(root));
    if (!ordered) {
      count += largestWave(other);
    }
  }
  return Math.max(count, largestWave(stack));
}

function rootOf(stack: Stack): Stack {
  let current = stack;
  while (current.nestedStackParent) {
    current = current.nestedStackParent;
  }
  return current;
}

function transitiveDependencies(stack: Stack): Set<Stack> {
  const seen = new Set<Stack>();
  const visit = (s: Stack) => {
    for (const dependency of s.dependencies) {
      const root = rootOf(dependency);
      if (!seen.has(root)) {
        seen.add(root);
        visit(root);
      }
    }
  };
  visit(stack);
  return seen;
}
