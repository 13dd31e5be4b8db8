/**
 * Every failure the core reports is a DdbError: a stable `code` a program can switch on, a message
 * that says what happened and how to fix it, and the original `cause`.
 *
 * Codes under `input.` and `usage.` are the user's to fix before anything is sent (CLI exit code 2);
 * every other code is an operation that failed (exit code 1), unless the error is `local`: a limit
 * of DynamoDB (an item over 400 KB) checked by ddbctl before sending is the user's to fix too, while
 * the same code answered by the service stays an operation that failed.
 */
export type DdbErrorCode =
  // bad input, detected locally before any request
  | 'usage.invalid'
  | 'input.tableName'
  | 'input.item'
  | 'input.key'
  | 'input.json'
  | 'input.expression'
  | 'input.limit'
  | 'input.spec'
  | 'input.file'
  // target and credentials
  | 'target.noRegion'
  | 'credentials.missing'
  | 'credentials.invalid'
  | 'access.denied'
  | 'endpoint.unreachable'
  | 'engine.unsupported'
  | 'engine.start'
  | 'engine.storage'
  | 'engine.locked'
  // a server of ddbctl's own (serve, ui) whose port another program holds
  | 'port.inUse'
  // tables
  | 'table.notFound'
  | 'table.exists'
  | 'table.inUse'
  | 'table.deletionProtected'
  | 'table.waitTimeout'
  | 'table.unexpectedStatus'
  | 'table.limitExceeded'
  | 'table.noStream'
  // items
  | 'item.notFound'
  | 'item.conditionFailed'
  | 'item.verifyFailed'
  | 'item.tooLarge'
  | 'item.unreadable'
  | 'batch.incomplete'
  | 'transaction.cancelled'
  | 'transaction.conflict'
  // service
  | 'request.invalid'
  | 'request.throttled'
  | 'service.error'
  | 'operation.aborted'
  | 'spec.replacementRefused'
  | 'transfer.rejected'
  | 'transfer.busy'
  | 'output.write'
  | 'internal';

export interface DdbErrorOptions {
  message: string;
  cause?: unknown;
  /** Structured details a caller may render (for example the items a batch could not write). */
  details?: Record<string, unknown>;
  /** Found by ddbctl's own checks before any request (default false): the input must change. */
  local?: boolean;
}

/**
 * NOTE: the package ships an ESM and a CommonJS build, each with its own DdbError class; a program
 * that loads both (require in one module, import in another) gets errors from either. The brand is
 * a registry symbol, the same in both copies, so isDdbError and `instanceof` recognise either.
 */
const BRAND = Symbol.for('ddbctl.DdbError');

export class DdbError extends Error {
  override readonly name = 'DdbError';
  readonly [BRAND] = true;
  readonly code: DdbErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Found by ddbctl's own checks before any request, not answered by the service. */
  readonly local: boolean;

  constructor(code: DdbErrorCode, options: DdbErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.local = options.local === true;
  }

  /** True when the user must change the command (exit code 2), false when an operation failed. */
  get isUsage(): boolean {
    return (
      this.local ||
      this.code.startsWith('input.') ||
      this.code.startsWith('usage.') ||
      this.code === 'target.noRegion'
    );
  }

  static override [Symbol.hasInstance](v: unknown): boolean {
    return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
  }
}

export function isDdbError(e: unknown, code?: DdbErrorCode): e is DdbError {
  return e instanceof DdbError && (code === undefined || e.code === code);
}

/**
 * The embedded engine failing on its own data files (a damaged record: engine.start; a write the
 * disk refused: engine.storage): no retry, and no run again, gets past it until they are repaired.
 */
export function isEngineFilesCode(code: DdbErrorCode | undefined): boolean {
  return code === 'engine.storage' || code === 'engine.start';
}

export function inputError(code: DdbErrorCode, message: string, details?: Record<string, unknown>): DdbError {
  return new DdbError(code, details ? { message, details } : { message });
}
