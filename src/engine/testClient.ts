/**
 * For the engine's own tests: an SDK client on the in-process door of a fresh in-memory engine
 * (tables ACTIVE at once unless the settings say otherwise).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CreateTableCommandInput,
  DynamoDBClient,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DdbEngine, type EngineSettings } from './engine.js';
import { type EngineRequestHandler, inProcessHandler } from './inProcess.js';
import { SNAP_MAGIC, TRAILER } from './store/codec.js';

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

/** Where each record of a snapshot file's bytes starts: its data records, then its index record. */
export function snapshotRecordStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = SNAP_MAGIC.length; at < bytes.length - TRAILER; at += 8 + bytes.readUInt32LE(at))
    starts.push(at);
  return starts;
}

/**
 * Damage the record in the middle of a data dir's snapshot (one bit, 200 bytes into it), as a disk
 * would: where that record starts, and how many records the snapshot has.
 */
export function damageMiddleRecord(dataDir: string): { bad: number; records: number } {
  const snap = join(dataDir, 'engine', 'snapshot');
  const bytes = readFileSync(snap);
  const starts = snapshotRecordStarts(bytes);
  const bad = starts[Math.floor(starts.length / 2)]!;
  bytes[bad + 200]! ^= 1;
  writeFileSync(snap, bytes);
  return { bad, records: starts.length };
}
