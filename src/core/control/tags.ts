/** ListTagsOfResource, sent from here alone: every tag of a resource, across pages. */
import { ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Every tag of a resource, across pages; `undefined` when the endpoint has no tagging. */
export async function listTags(clients: Clients, arn: string): Promise<Record<string, string> | undefined> {
  const tags: Record<string, string> = {};
  let next: string | undefined;
  try {
    do {
      const out = await call({ operation: 'ListTagsOfResource', target: clients.label }, () =>
        clients.ddb.send(
          new ListTagsOfResourceCommand({ ResourceArn: arn, ...(next ? { NextToken: next } : {}) }),
        ),
      );
      for (const t of out.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
      next = out.NextToken;
    } while (next);
  } catch (e) {
    if (isUnsupported(e)) return undefined;
    throw e;
  }
  return tags;
}

/** True for the answer of an endpoint that has no tagging. */
export function isUnsupported(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  const msg = (e as { message?: string }).message ?? '';
  // NOTE: DynamoDB Local answers tagging calls with an error rather than UnknownOperation.
  return code === 'engine.unsupported' || /not (yet )?(supported|implemented)/i.test(msg);
}
