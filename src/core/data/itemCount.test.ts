import { describe, expect, it } from 'vitest';
import { DdbEngine } from '../../engine/engine.js';
import { inProcessHandler } from '../../engine/inProcess.js';
import { createClients } from '../clients.js';
import { formatItemCount, formatTableSize, itemCountOf, tableSizeOf } from './itemCount.js';

// ddbctl's engine on its in-process door; `nope` does not exist there, so any Scan would fail.
const clients = (exactCounts: boolean) =>
  createClients({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:0',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: inProcessHandler(new DdbEngine()),
    label: 'the embedded engine',
    exactCounts,
  });

describe('itemCountOf on an engine that counts exactly', () => {
  it('shows the figures as they are, and a 0 as empty, without a Scan', async () => {
    const exact = clients(true);
    const n = await itemCountOf(exact, 'nope', 1234);
    expect(n).toEqual({ reported: 1234, status: 'exact', known: true });
    expect(formatItemCount(n)).toBe('1,234');
    expect(formatTableSize(tableSizeOf(n, 56789))).toBe('56,789');
    expect(await itemCountOf(exact, 'nope', 0)).toEqual({ reported: 0, status: 'empty', known: true });
    exact.destroy();
  });

  it('elsewhere a figure is approximate and a 0 is checked with a Scan', async () => {
    const other = clients(false);
    expect((await itemCountOf(other, 'nope', 5)).status).toBe('approximate');
    // The Scan is sent (it fails here: no such table, or no Scan on a branch without the item operations).
    await expect(itemCountOf(other, 'nope', 0)).rejects.toThrow(/^Scan/);
    other.destroy();
  });
});
