#!/usr/bin/env node
// dynalite on its own, as the npm package starts it (in memory), listening on 127.0.0.1 on a free
// port; prints its endpoint, and stops on SIGTERM. The side-by-side figure of the engine ddbctl
// embedded before its own (dynalite stays a devDependency for this).
import dynalite from 'dynalite';

// NOTE: short table phases (dynalite's default is 500 ms): the benchmark waits for ACTIVE before
// each run, unmeasured, and the waits add up over the runs.
const ms = 50;
const server = dynalite({ createTableMs: ms, deleteTableMs: ms, updateTableMs: ms });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
