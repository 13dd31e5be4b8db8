/**
 * `ddbctl/engine`: ddbctl's embedded engine for your own test suites, in place of DynamoDB Local
 * or dynalite. It starts in memory in a few milliseconds (no Java, nothing downloaded), listens on
 * 127.0.0.1 and hands back what an AWS SDK client needs:
 *
 *   import { startEngine } from 'ddbctl/engine';
 *   const engine = await startEngine();
 *   const ddb = new DynamoDBClient(engine.clientConfig);
 *   ...
 *   await engine.close();
 */
import { startEngine as start } from './index.js';
import type { EngineRequestHandler } from './inProcess.js';

export interface StartEngineOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * How long tables stay CREATING / UPDATING / DELETING (ms). Default 0: a table is ACTIVE as soon
   * as CreateTable answers, as in DynamoDB Local. Set it (500, say) to test code that waits.
   */
  transitionMs?: number;
  /** The region clients use and ARNs name. Default us-east-1. */
  region?: string;
  /**
   * How often expired items of tables with TTL enabled are deleted (ms). Default 5000 (DynamoDB
   * takes up to two days; expired items are read until then, as on DynamoDB); 0 never deletes them.
   */
  ttlSweepMs?: number;
}

export interface TestEngine {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  /** Placeholder credentials: the engine accepts any. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Everything a DynamoDBClient needs: `new DynamoDBClient(engine.clientConfig)`. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /**
   * An SDK `requestHandler` that reaches the engine without a socket, for clients in the same
   * process: `new DynamoDBClient({ ...engine.clientConfig, requestHandler: engine.requestHandler })`.
   */
  requestHandler: EngineRequestHandler;
  /** Stop listening and drop every table. */
  close(): Promise<void>;
}

/** Start an engine in memory with its HTTP door on 127.0.0.1. */
export async function startEngine(opts: StartEngineOptions = {}): Promise<TestEngine> {
  const region = opts.region ?? 'us-east-1';
  const engine = await start({
    dataDir: null,
    http: true,
    port: opts.port ?? 0,
    transitionMs: opts.transitionMs ?? 0,
    ...(opts.ttlSweepMs !== undefined ? { ttlSweepMs: opts.ttlSweepMs } : {}),
    region,
  });
  const endpoint = engine.endpoint as string;
  const credentials = { accessKeyId: 'ddbctl', secretAccessKey: 'ddbctl' };
  return {
    endpoint,
    region,
    credentials,
    clientConfig: { endpoint, region, credentials },
    requestHandler: engine.requestHandler as EngineRequestHandler,
    close: () => engine.close(),
  };
}

export type { EngineRequestHandler };
