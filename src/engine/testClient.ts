/**
 * For the engine's own tests: an SDK client on the in-process door of a fresh in-memory engine
 * (tables ACTIVE at once unless the settings say otherwise).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DdbEngine, type EngineSettings } from './engine.js';
import { inProcessHandler } from './inProcess.js';

export function engineClient(settings: EngineSettings = {}): { engine: DdbEngine; ddb: DynamoDBClient } {
  const engine = new DdbEngine({ transitionMs: 0, ...settings });
  const ddb = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: inProcessHandler(engine),
    maxAttempts: 1,
  });
  return { engine, ddb };
}
