/**
 * Why a server of ddbctl's own (serve's engine, the UI) could not listen, in one line with its fix,
 * the same from both: another program's port is a failure (port.inUse, exit 1); an address that is
 * not this machine's, or a port below 1024 without root, is the command's to change (exit 2).
 */
import { DdbError } from '../errors.js';

/** `host` as it appears in a Host header, a URL or a message (an IPv6 address in brackets: `[::]`). */
export function hostInUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `e` from listen(); `at`: how the message begins ("cannot listen on 127.0.0.1:8000"). */
export function listenError(e: NodeJS.ErrnoException, host: string, at: string): DdbError {
  const code = e.code ?? 'error';
  switch (code) {
    case 'EADDRINUSE':
      return new DdbError('port.inUse', {
        message: `${at}: the port is in use; pass another --port, or --port 0 for a free one`,
        cause: e,
      });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new DdbError('usage.invalid', {
        message: `${at}: ${host} is no address of this machine (${code}); pass a --host of this machine (127.0.0.1, the default, for this machine alone)`,
        cause: e,
      });
    case 'EACCES':
    case 'EPERM':
      return new DdbError('usage.invalid', {
        message: `${at}: permission denied (${code}): ports below 1024 need root; pass a --port above 1023, or --port 0 for a free one`,
        cause: e,
      });
    default:
      return new DdbError('engine.start', { message: `${at}: ${e.message}`, cause: e });
  }
}
