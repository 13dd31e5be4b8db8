/** DescribeLimits: DynamoDB's default quotas, as DynamoDB Local reports them. */
import type { Operation } from '../context.js';
import { MAX_UNITS } from './_tables.js';

export const describeLimits: Operation = () => ({
  AccountMaxReadCapacityUnits: 80_000,
  AccountMaxWriteCapacityUnits: 80_000,
  TableMaxReadCapacityUnits: MAX_UNITS,
  TableMaxWriteCapacityUnits: MAX_UNITS,
});
