/** A local CloudFormation + Provider framework harness for the synthesized handler bundle. */
export * from './cloud-assembly';
export * from './lambda-runner';
export * from './lambda-runtime';
export * from './lambda-stand-in';
export * from './step-functions-stand-in';
export * from './response-url-stand-in';
export * from './framework-services';
export * from './provider-framework';
export * from './stack-simulator';
export * from './synth';
export * from './iam';
