/**
 * The engine's operations by DynamoDB's name (the part of `X-Amz-Target` after
 * `DynamoDB_20120810.`). One line per operation; engine.ts answers any other name with
 * UnknownOperationException.
 */
import type { Operation } from '../context.js';
import { createTable } from './createTable.js';
import { deleteTable } from './deleteTable.js';
import { describeLimits } from './describeLimits.js';
import { describeTable } from './describeTable.js';
import { listTables } from './listTables.js';
import { listTagsOfResource, tagResource, untagResource } from './tags.js';
import { updateTable } from './updateTable.js';

export const OPERATIONS: Record<string, Operation> = {
  CreateTable: createTable,
  DeleteTable: deleteTable,
  DescribeLimits: describeLimits,
  DescribeTable: describeTable,
  ListTables: listTables,
  ListTagsOfResource: listTagsOfResource,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateTable: updateTable,
};
