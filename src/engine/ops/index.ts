/**
 * The engine's operations by DynamoDB's name (the part of `X-Amz-Target` after
 * `DynamoDB_20120810.`). One line per operation; engine.ts answers any other name with
 * UnknownOperationException.
 */
import type { Operation } from '../context.js';
import { batchGetItem } from './batchGetItem.js';
import { batchWriteItem } from './batchWriteItem.js';
import { createTable } from './createTable.js';
import { deleteItem } from './deleteItem.js';
import { describeTable } from './describeTable.js';
import { getItem } from './getItem.js';
import { putItem } from './putItem.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { updateItem } from './updateItem.js';

export const OPERATIONS: Record<string, Operation> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
  PutItem: putItem,
  GetItem: getItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchWriteItem: batchWriteItem,
  BatchGetItem: batchGetItem,
};
