// Global setup of an integration project: one engine for the whole run. The embedded engine is
// started here (in memory, on 127.0.0.1); other engines were started by scripts/test.mjs.
import type { TestProject } from 'vitest/node';
import { startEngine } from '../../src/engine/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoint: string;
    engine: string;
  }
}

export default async function setup(project: TestProject) {
  const name = project.config.env?.DDBCTL_TEST_ENGINE ?? 'embedded';
  const given = project.config.env?.DDBCTL_TEST_ENGINE_ENDPOINT;
  if (given) {
    project.provide('endpoint', given);
    project.provide('engine', name);
    return;
  }
  const engine = await startEngine({ dataDir: null, http: true });
  project.provide('endpoint', engine.endpoint as string);
  project.provide('engine', 'embedded');
  return () => engine.close();
}
