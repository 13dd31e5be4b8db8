/**
 * The engine's operations by DynamoDB's name (the part of `X-Amz-Target` after
 * `DynamoDB_20120810.`). One line per operation; engine.ts answers any other name with
 * UnknownOperationException.
 */
import type { Operation } from '../context.js';
import { batchExecuteStatement } from './batchExecuteStatement.js';
import { batchGetItem } from './batchGetItem.js';
import { batchWriteItem } from './batchWriteItem.js';
import { describeContinuousBackups, updateContinuousBackups } from './continuousBackups.js';
import { createTable } from './createTable.js';
import { deleteItem } from './deleteItem.js';
import { deleteTable } from './deleteTable.js';
import { describeLimits } from './describeLimits.js';
import { describeTable } from './describeTable.js';
import { describeTimeToLive } from './describeTimeToLive.js';
import { executeStatement } from './executeStatement.js';
import { executeTransaction } from './executeTransaction.js';
import { getItem } from './getItem.js';
import { listTables } from './listTables.js';
import { putItem } from './putItem.js';
import { query } from './query.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from './resourcePolicy.js';
import { scan } from './scan.js';
import { listTagsOfResource, tagResource, untagResource } from './tags.js';
import { transactGetItems } from './transactGetItems.js';
import { transactWriteItems } from './transactWriteItems.js';
import { updateItem } from './updateItem.js';
import { updateTable } from './updateTable.js';
import { updateTimeToLive } from './updateTimeToLive.js';

export const OPERATIONS: Record<string, Operation> = {
  BatchExecuteStatement: batchExecuteStatement,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DeleteItem: deleteItem,
  DeleteResourcePolicy: deleteResourcePolicy,
  DeleteTable: deleteTable,
  DescribeContinuousBackups: describeContinuousBackups,
  DescribeLimits: describeLimits,
  DescribeTable: describeTable,
  DescribeTimeToLive: describeTimeToLive,
  ExecuteStatement: executeStatement,
  ExecuteTransaction: executeTransaction,
  GetItem: getItem,
  GetResourcePolicy: getResourcePolicy,
  ListTables: listTables,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  PutResourcePolicy: putResourcePolicy,
  Query: query,
  Scan: scan,
  TagResource: tagResource,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UntagResource: untagResource,
  UpdateContinuousBackups: updateContinuousBackups,
  UpdateItem: updateItem,
  UpdateTable: updateTable,
  UpdateTimeToLive: updateTimeToLive,
};
