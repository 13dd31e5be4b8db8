// Network faults no engine can produce on loopback (an unreachable network, a failed DNS look-up),
// as Node reports them: each is one friendly line, and for AWS it points at the network or region.
import { describe, expect, it } from 'vitest';
import { answerLost, toDdbError } from './sdkErrors.js';

function netError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.1.2.3:8000 - Local (0.0.0.0:0)`), { code });
}

describe('toDdbError: an unreachable target', () => {
  it('maps every network code like ECONNREFUSED: one line, the code, what to check', () => {
    for (const code of ['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN', 'ENOTFOUND']) {
      const e = toDdbError(netError(code), { operation: 'ListTables', target: 'http://10.1.2.3:8000' });
      expect(e.code).toBe('endpoint.unreachable');
      expect(e.message).toBe(
        `ListTables: cannot reach the endpoint at http://10.1.2.3:8000 (${code}); check that it is running and the URL is right`,
      );
    }
  });

  it('says of a connection the endpoint dropped (ECONNRESET) that it was reached, not to check the URL', () => {
    for (const code of ['ECONNRESET']) {
      const e = toDdbError(netError(code), { operation: 'Scan', target: 'http://10.1.2.3:8000' });
      expect(e.code).toBe('endpoint.unreachable');
      expect(e.message).toBe(
        `Scan: the endpoint at http://10.1.2.3:8000 dropped the connection before answering (${code}); check that it is still running and not restarting or overloaded`,
      );
    }
  });

  it('for AWS says to check the network and the region, not whether it is running', () => {
    const e = toDdbError(netError('ENOTFOUND'), { operation: 'ListTables', target: 'AWS eu-west-1' });
    expect(e.code).toBe('endpoint.unreachable');
    expect(e.message).toBe(
      'ListTables: cannot reach AWS eu-west-1 (ENOTFOUND); check the network connection and that the region is right',
    );
  });
});

// STS's own names for refused credentials (moto accepts any key, so they are made here).
describe('toDdbError: STS refusing the credentials (whoami, the prompts on AWS)', () => {
  it('is credentials.invalid, as DynamoDB refusing them is', () => {
    for (const name of ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken']) {
      const e = toDdbError(
        Object.assign(new Error('The security token included in the request is invalid.'), { name }),
        {
          operation: 'GetCallerIdentity',
          target: 'AWS eu-west-1',
        },
      );
      expect(e.code).toBe('credentials.invalid');
      expect(e.message).toBe(
        `GetCallerIdentity: the service rejected the credentials (${name}); check the profile or AWS_* variables`,
      );
    }
  });
});

describe('toDdbError: ddbctl engine failing on its data files over HTTP', () => {
  it('is engine.storage with the engine message, not a service error to retry later', async () => {
    const { isTransient } = await import('./batch/backoff.js');
    const engineMessage =
      "the engine's data file /d/engine/snapshot is damaged (bad block at byte 8); nothing was changed. Move the data dir aside";
    const e = Object.assign(new Error(engineMessage), {
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    const err = toDdbError(e, { operation: 'GetItem', target: 'http://127.0.0.1:8000' });
    expect(err.code).toBe('engine.storage');
    expect(err.message).toBe(`GetItem: the engine at http://127.0.0.1:8000 failed: ${engineMessage}`);
    expect(isTransient(e, err)).toBe(false);
    // Any other 500 is the service's, and retried.
    const other = Object.assign(new Error('boom'), {
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    const otherErr = toDdbError(other, { operation: 'GetItem' });
    expect(otherErr.code).toBe('service.error');
    expect(isTransient(other, otherErr)).toBe(true);
    // The engine's refusal of a change is an answer (not carried out), not a lost one.
    expect(answerLost(e)).toBeUndefined();
    expect(answerLost(other)).toEqual({ kind: 'server', status: 500, said: 'InternalFailure: boom' });
  });
});

describe('toDdbError: hints for refusals of some engines', () => {
  it("DynamoDB Local's refusal of a switch back to provisioned at a GSI's earlier capacity says the way round it", () => {
    // DynamoDB Local answers this after on-demand → provisioned with the numbers the GSI had before.
    const e = Object.assign(new Error('The requested throughput value equals the current value'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(toDdbError(e, { operation: 'UpdateTable', table: 'odt' }).message).toBe(
      "UpdateTable: the request was rejected: The requested throughput value equals the current value; some engines (DynamoDB Local) keep a GSI's capacity from before a switch to on-demand and refuse the same numbers on the way back: give the GSIs other read/write units, and set them back afterwards if needed",
    );
  });
});

describe('toDdbError: a server error (HTTP 5xx)', () => {
  const fault = () =>
    Object.assign(new Error('Internal server error'), {
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
  it('after a change may or may not have been carried out (DynamoDB says so of its 500s); after a read, retry later', () => {
    expect(toDdbError(fault(), { operation: 'UpdateItem' })).toMatchObject({
      code: 'service.error',
      message:
        'UpdateItem: the service failed (HTTP 500: Internal server error): it may or may not have been carried out; check the table before running the command again',
      details: { unanswered: true },
    });
    expect(toDdbError(fault(), { operation: 'GetItem' }).message).toBe(
      'GetItem: the service failed (HTTP 500: Internal server error); retry later',
    );
  });
});
