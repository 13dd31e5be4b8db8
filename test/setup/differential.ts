// Global setup of the `differential` project: our engine, started here in memory on 127.0.0.1, and
// DynamoDB Local (the oracle), started by scripts/test.mjs when this machine can run it.
import type { TestProject } from 'vitest/node';
import { startEngine } from '../../src/engine/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local's endpoint, or why it is absent ("absent: ..."). */
    oracle: string;
  }
}

export default async function setup(project: TestProject) {
  const oracle = process.env.DDBCTL_TEST_DDBLOCAL;
  if (oracle) project.provide('oracle', oracle);
  else {
    const why =
      'absent: DynamoDB Local was not started (scripts/test.mjs starts it when java and an isolated network namespace are available, and DDBCTL_TEST_DDBLOCAL is not "off"); the comparisons do not run, the fuzz test does';
    process.stderr.write(`[differential] DynamoDB Local ${why}\n`);
    project.provide('oracle', why);
  }
  // NOTE: no transition time: DynamoDB Local has none, and every step waits for ACTIVE anyway.
  // The HTTP door: the suite speaks raw HTTP to both engines.
  const engine = await startEngine({ dataDir: null, http: true, transitionMs: 0 });
  project.provide('endpoint', engine.endpoint as string);
  project.provide('engine', 'embedded');
  return () => engine.close();
}
