#!/usr/bin/env node
// ddbctl from tsc's modules (dist/cli/main.js) rather than the bundle (dist/cli/bin.cjs): the same
// program, used for CPU profiles, where each module's own file names the package its time goes to.
//
//   node bench/unbundled.mjs ARGS...
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
