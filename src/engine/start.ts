/**
 * The store opened and the engine started on it, on whichever thread calls: the caller's (run.ts)
 * or the engine's own (threadWorker.ts). One place for both, so that the two threads start and
 * stop the same engine.
 */
import { DdbEngine, type EngineSettings } from './engine.js';
import { openStore } from './store/index.js';

/** What an engine is started with; plain data, so that it crosses to a thread of its own (workerData). */
export interface StartSettings {
  /** The store's folder (storeDir of the data dir); null: in memory. */
  storeDir: string | null;
  transitionMs: number;
  region?: string;
  ttlSweepMs?: number;
  salvage?: boolean;
}

/** An engine on its open store, and how to stop both. */
export interface Started {
  engine: DdbEngine;
  /** Let phases end, stop the engine's work between requests, close the store. */
  shutdown(): Promise<void>;
}

/** Open the store `settings` name and start the engine on it (what cannot cross threads beside). */
export function startHere(
  settings: StartSettings,
  here: Pick<EngineSettings, 'onWarning' | 'clock'> = {},
): Started {
  const store = openStore({
    dir: settings.storeDir,
    ...(here.onWarning ? { onWarning: here.onWarning } : {}),
    ...(settings.salvage ? { salvage: true } : {}),
  });
  const engine = new DdbEngine({
    store,
    transitionMs: settings.transitionMs,
    ...(settings.ttlSweepMs !== undefined ? { ttlSweepMs: settings.ttlSweepMs } : {}),
    ...(settings.region ? { region: settings.region } : {}),
    ...(here.clock ? { clock: here.clock } : {}),
    ...(here.onWarning ? { onWarning: here.onWarning } : {}),
  });
  return {
    engine,
    shutdown: async () => {
      await engine.settle();
      engine.stop();
      await store.close();
    },
  };
}
