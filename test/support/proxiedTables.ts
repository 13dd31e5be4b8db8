// What the tests through the fault proxy share (batch.test.ts, adaptive.test.ts): a proxy in front of
// the engine under test, a temporary folder, and tables made through the library for one test file
// (a partition key `id` of the type given), all removed after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Clients } from '../../src/core/clients.js';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { createTable } from '../../src/core/spec/createTable.js';
import { endpoint, testClients, uniqueName } from '../helpers.js';
import { type FaultProxy, startFaultProxy } from './faultProxy.js';

export interface ProxiedTables {
  clients: Clients;
  dir: string;
  /** The proxy, started before the file's tests (read it inside a test). */
  readonly proxy: FaultProxy;
  newTable(prefix: string): Promise<string>;
}

export function proxiedTables(name: string, keyType: 'S' | 'N'): ProxiedTables {
  const clients = testClients();
  const tables: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), `ddbctl-${name}-`));
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: endpoint() });
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(tables.map((t) => deleteTable(clients, t).catch(() => {})));
    clients.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    clients,
    dir,
    get proxy() {
      if (!proxy) throw new Error('the fault proxy starts in beforeAll: read it inside a test');
      return proxy;
    },
    async newTable(prefix) {
      const t = uniqueName(prefix);
      tables.push(t);
      await createTable(clients, {
        tableName: t,
        partitionKey: { name: 'id', type: keyType },
        throughput: 'on-demand',
      });
      await waitForTable(clients, t, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
      return t;
    },
  };
}
