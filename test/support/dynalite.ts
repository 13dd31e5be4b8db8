// The previous embedded engine, dynalite 4 (a devDependency), for the tests of a data dir it
// wrote: started on a folder as the previous ddbctl ran it, and spoken to in raw DynamoDB JSON so
// that what each engine holds is compared types and all, with no SDK between.
import type { Server } from 'node:http';

export type Json = Record<string, unknown>;

/** dynalite on `path` (a data dir's `db/`), tables ACTIVE almost at once. */
export async function startDynalite(path: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const { default: dynalite } = await import('dynalite');
  const server: Server = dynalite({ path, createTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** One DynamoDB request in its own JSON; an answer other than 200 throws with the error's body. */
export async function rawCall(endpoint: string, op: string, body: unknown): Promise<Json> {
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${op}`,
      'x-amz-date': '20260101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const out = (await r.json()) as Json;
  if (r.status !== 200) throw new Error(`${op}: ${JSON.stringify(out)}`);
  return out;
}
