/**
 * The DynamoDB Streams API (target prefix `DynamoDBStreams_20120810.`), served by the same engine
 * and doors as DynamoDB's own API, as DynamoDB Local serves it on one endpoint.
 */
import type { Operation } from '../context.js';
import { describeStream } from './describeStream.js';
import { getRecords } from './getRecords.js';
import { getShardIterator } from './getShardIterator.js';
import { listStreams } from './listStreams.js';

export const STREAMS_PREFIX = 'DynamoDBStreams_20120810.';

export const STREAM_OPERATIONS: Record<string, Operation> = {
  DescribeStream: describeStream,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  ListStreams: listStreams,
};
