/**
 * The engine's operations by DynamoDB's name (the part of `X-Amz-Target` after
 * `DynamoDB_20120810.`). One line per operation; engine.ts answers any other name with
 * UnknownOperationException.
 */
import type { Operation } from '../context.js';
import { createTable } from './createTable.js';
import { describeTable } from './describeTable.js';

export const OPERATIONS: Record<string, Operation> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
};
