/**
 * The rollback cases (rollback-cases.ts) with Connect as documented, and case 2 under both ways CloudFormation
 * may record the physical id of a FAILED Update.
 */
import { failedReplacementWithMove, rollbackCases, useRollbackWorld } from './rollback-cases';

describe('CloudFormation keeps the previous physical id of a FAILED Update (default)', () => {
  useRollbackWorld();
  failedReplacementWithMove();
});

describe('CloudFormation records the new physical id of a FAILED Update (variant)', () => {
  useRollbackWorld({ stack: { failedUpdatePhysicalId: 'record-new' } });
  failedReplacementWithMove();
});

describe('rollback cases', () => {
  useRollbackWorld();
  rollbackCases();
});
