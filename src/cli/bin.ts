#!/usr/bin/env node
// NOTE: the SDK warns on every run that its releases after January 2027 need Node 22; the
// versions ddbctl pins support Node 20, so the warning only adds noise to every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that goes away (`ddbctl scan T | head`) is not an error of ours: stop quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
