/** A local CloudFormation + Provider framework harness for the synthesized handler bundle. */
export * from './cloud-assembly';
export * from './lambda-runner';
export * from './provider-framework';
export * from './stack-simulator';
export * from './synth';
export * from './iam';
