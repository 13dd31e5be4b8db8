/**
 * The data dir's layout across engines. This engine keeps its files in `<dataDir>/engine/`; the
 * previous one (dynalite 4) kept LevelDB files in `<dataDir>/db/`. A data dir that holds the
 * latter is recognised and refused with the way to carry its tables over, never read as empty,
 * written beside or overwritten: its tables would otherwise seem lost. `ddbctl migrate-data-dir`
 * (migrate.ts) carries them over.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { DdbError } from '../../core/errors.js';

/** The folder of this engine's files inside a data dir (snapshot and logs: open.ts). */
export function storeDir(dataDir: string): string {
  return join(dataDir, 'engine');
}

/** The folder where the previous engine (dynalite) kept its LevelDB files. */
export function legacyDbDir(dataDir: string): string {
  return join(dataDir, 'db');
}

// LevelDB's own file names: CURRENT, LOCK, LOG, LOG.old, MANIFEST-000002, 000005.ldb/.log/.sst.
const LEVELDB_FILE = /^(CURRENT|LOCK|LOG(\.old)?|MANIFEST-\d+|\d+\.(ldb|log|sst))$/;

/**
 * Why this engine must not start on `dataDir`, when it holds the previous engine's tables (LevelDB
 * files in `db/`): what was found, why it is refused, and how to carry the tables over or start
 * afresh. Undefined when the data dir is free of them (no `db/`, or an empty one).
 */
export function legacyDataDir(dataDir: string): string | undefined {
  const dir = resolve(dataDir);
  const db = legacyDbDir(dir);
  let files: string[];
  try {
    if (!statSync(db).isDirectory()) return undefined;
    files = readdirSync(db);
  } catch {
    return undefined;
  }
  if (!files.some((f) => LEVELDB_FILE.test(f))) return undefined;
  return (
    `data dir ${dir} holds tables of ddbctl's previous embedded engine (dynalite's LevelDB files in ${db}). ` +
    `This version's engine keeps its data in ${storeDir(dir)} in a format of its own and cannot read those files, ` +
    'and never mixes the two, so it does not start there: it would show none of those tables and leave them unseen beside new ones. ' +
    `To carry every table over (keys, indexes, billing, tags and every item, counts verified; ${db} is then moved aside, not deleted): ` +
    `ddbctl migrate-data-dir --data-dir ${dir}. ` +
    `To start afresh instead, move ${db} aside or delete it, or pass --data-dir to another folder or --memory.`
  );
}

/**
 * The previous engine serving a legacy data dir's tables (read as they are) on loopback, so that
 * they can be copied into this engine (migrate.ts, core's copyTables).
 * Needs dynalite 4, which ddbctl no longer depends on: loaded only here, with how to get it when absent.
 */
export async function openLegacyEngine(
  dataDir: string,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const db = legacyDbDir(resolve(dataDir));
  if (!existsSync(db)) {
    throw new DdbError('engine.start', {
      message: `no tables of the previous engine in ${dataDir}: ${db} does not exist`,
    });
  }
  let dynalite: (o: { path: string }) => Server;
  try {
    ({ default: dynalite } = await import('dynalite'));
  } catch (e) {
    throw new DdbError('engine.start', {
      message: `reading ${db} needs dynalite 4.0.0, the previous engine, which is not installed (${(e as Error).message.split('\n')[0]}); install it where ddbctl is installed (npm install --no-save dynalite@4.0.0 in the folder that holds its node_modules; for a global ddbctl: npm install --global dynalite@4.0.0) and run again`,
      cause: e,
    });
  }
  const server = dynalite({ path: db });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', rej);
      res();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}
