/**
 * Carrying a data dir of the previous engine over (`ddbctl migrate-data-dir`): the previous
 * engine (dynalite) serves `<dataDir>/db` on loopback while this engine starts on the same data
 * dir with a fresh store in `<dataDir>/engine`; the caller copies the tables across (core's
 * copyTables). Then either every table arrived, and `db/` is moved aside (never deleted), or not,
 * and the new store is removed: the old folder is left as it was, and a rerun starts clean.
 * The two are never both live for anything but this copy.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DdbError } from '../core/errors.js';
import { systemClock } from '../core/util/clock.js';
import { type Engine, type EngineOptions, startEngine } from './index.js';
import { legacyDataDir, legacyDbDir, openLegacyEngine, storeDir } from './store/index.js';

export interface LegacyMigration {
  /** The absolute data dir. */
  dataDir: string;
  /** The previous engine's folder (`<dataDir>/db`). */
  legacyDir: string;
  /** This engine's new store (`<dataDir>/engine`), removed by `abandon`. */
  storeDir: string;
  /** The previous engine serving `legacyDir`'s tables, on loopback. */
  legacyEndpoint: string;
  /** This engine on the data dir, its store fresh in `<dataDir>/engine`. */
  engine: Engine;
  /** Every table arrived: close both engines and move `legacyDir` aside; returns where it went. */
  finish(): Promise<string>;
  /**
   * Not every table arrived: close both engines and remove the new store, so that the data dir is
   * as it was. Returns why the store could not be removed, when it could not.
   */
  abandon(): Promise<string | undefined>;
}

/** `db.dynalite-20261205T160621Z`: sorts by time, says what it holds, no characters a shell minds. */
function asideName(db: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  let name = `${db}.dynalite-${stamp}`;
  for (let n = 2; existsSync(name); n++) name = `${db}.dynalite-${stamp}-${n}`;
  return name;
}

/** Open a data dir of the previous engine for its carry-over (see the file's comment). */
export async function openLegacyMigration(
  opts: Omit<EngineOptions, 'dataDir' | 'http' | 'serve' | 'port' | 'host'> & { dataDir: string },
): Promise<LegacyMigration> {
  const dataDir = resolve(opts.dataDir);
  const legacyDir = legacyDbDir(dataDir);
  const store = storeDir(dataDir);
  if (!legacyDataDir(dataDir)) {
    throw new DdbError('usage.invalid', {
      message: `data dir ${dataDir} holds no tables of the previous embedded engine (no LevelDB files in ${legacyDir}): there is nothing to carry over; pass --data-dir to the folder the previous ddbctl used`,
    });
  }
  if (existsSync(store)) {
    throw new DdbError('engine.start', {
      message: `data dir ${dataDir} holds the new engine's folder ${store} beside the previous engine's ${legacyDir}; the tables are carried over into a fresh ${store} only, never mixed with others, so nothing was copied. Move ${store} aside (or delete it, if it holds nothing you need, for example after an interrupted run) and run migrate-data-dir again`,
    });
  }
  const legacy = await openLegacyEngine(dataDir);
  let engine: Engine;
  try {
    engine = await startEngine({ ...opts, dataDir, besideLegacy: true });
  } catch (e) {
    await legacy.close();
    rmSync(store, { recursive: true, force: true });
    throw e;
  }
  let closed = false;
  const closeBoth = async () => {
    if (closed) return;
    closed = true;
    await Promise.allSettled([engine.close(), legacy.close()]);
  };
  return {
    dataDir,
    legacyDir,
    storeDir: store,
    legacyEndpoint: legacy.endpoint,
    engine,
    finish: async () => {
      await closeBoth();
      const aside = asideName(legacyDir, (opts.clock ?? systemClock).now());
      try {
        renameSync(legacyDir, aside);
      } catch (e) {
        throw new DdbError('engine.start', {
          message: `every table was copied into ${store}, but ${legacyDir} could not be moved aside to ${aside} (${(e as Error).message}); move it aside yourself (mv ${legacyDir} ${aside}): until then the data dir is refused`,
          cause: e,
        });
      }
      return aside;
    },
    abandon: async () => {
      await closeBoth();
      try {
        rmSync(store, { recursive: true, force: true });
        return undefined;
      } catch (e) {
        return `the partial copy in ${store} could not be removed (${(e as Error).message}); remove it before running migrate-data-dir again`;
      }
    },
  };
}
