/**
 * Errors the engine answers with, in DynamoDB's shape: `{"__type": "<prefix>#<Type>", "message"}`
 * with HTTP 400 (500 for InternalServerError). Throw an EngineError anywhere inside an operation;
 * the doors turn it into the answer. The message text is behaviour: copy DynamoDB's, word for word.
 */

/** DynamoDB's error types (the part after `#` in `__type`). */
export type EngineErrorType =
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'MissingAuthenticationTokenException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'TableNotFoundException'
  | 'PolicyNotFoundException'
  | 'ConditionalCheckFailedException'
  | 'ItemCollectionSizeLimitExceededException'
  | 'LimitExceededException'
  | 'ProvisionedThroughputExceededException'
  | 'RequestLimitExceeded'
  | 'TransactionCanceledException'
  | 'TransactionConflictException'
  | 'IdempotentParameterMismatchException'
  | 'DuplicateItemException'
  | 'InternalServerError'
  | 'ExpiredIteratorException'
  | 'TrimmedDataAccessException';

const PREFIX: Partial<Record<EngineErrorType, string>> = {
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  ValidationException: 'com.amazon.coral.validate',
};

export class EngineError extends Error {
  /** Extra members of the answer (e.g. `Item` of ConditionalCheckFailedException, `CancellationReasons`). */
  readonly extra: Record<string, unknown> | undefined;
  constructor(
    readonly type: EngineErrorType,
    message: string,
    extra?: Record<string, unknown>,
  ) {
    super(message);
    this.extra = extra;
  }

  get status(): number {
    return this.type === 'InternalServerError' ? 500 : 400;
  }

  /** The answer's body, as DynamoDB writes it. */
  body(): Record<string, unknown> {
    const prefix = PREFIX[this.type] ?? 'com.amazonaws.dynamodb.v20120810';
    // NOTE: DynamoDB writes `Message` (capital M) for some coral errors and `message` for the rest;
    // the SDKs read both. `message` is what DynamoDB Local writes for ValidationException.
    // An empty message is left out, as DynamoDB does for UnknownOperation and SerializationException.
    return {
      __type: `${prefix}#${this.type}`,
      ...(this.message ? { message: this.message } : {}),
      ...this.extra,
    };
  }
}

/** A ValidationException: the most common answer to bad input. */
export function validation(message: string): EngineError {
  return new EngineError('ValidationException', message);
}
