/** The CloudFormation stack model: deploys, rollbacks and deletes played against a resource provider. */
export * from './types';
export * from './properties';
export * from './stack-model';
