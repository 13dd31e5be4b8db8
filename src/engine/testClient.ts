/**
 * For the engine's own tests: an SDK client on the in-process door of a fresh in-memory engine
 * (tables ACTIVE at once unless the settings say otherwise).
 */
import {
  type CreateTableCommandInput,
  DynamoDBClient,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DdbEngine, type EngineSettings } from './engine.js';
import { type EngineRequestHandler, inProcessHandler } from './inProcess.js';

/** An SDK client on `requestHandler` (an engine's in-process door), one attempt a call. */
export function handlerClient(requestHandler: EngineRequestHandler | undefined): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    ...(requestHandler ? { requestHandler } : {}),
    maxAttempts: 1,
  });
}

export function engineClient(settings: EngineSettings = {}): { engine: DdbEngine; ddb: DynamoDBClient } {
  const engine = new DdbEngine({ transitionMs: 0, ...settings });
  return { engine, ddb: handlerClient(inProcessHandler(engine)) };
}

/** CreateTable's input for `tbl`: a string partition key `pk`, on demand. */
export const PK_TABLE: CreateTableCommandInput = {
  TableName: 'tbl',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

/** UpdateTable's input that adds the GSI `byG` (hash key `g`, a string, keys only) to `tbl`. */
export const CREATE_BY_G: UpdateTableCommandInput = {
  TableName: 'tbl',
  AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
  GlobalSecondaryIndexUpdates: [
    {
      Create: {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    },
  ],
};
