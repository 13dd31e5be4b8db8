import { ListTagsOfResourceCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

export type TagsResult =
  | { supported: true; tags: Record<string, string>; added: string[] }
  | { supported: false; reason: string };

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

function isUnsupported(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  const msg = (e as { message?: string }).message ?? '';
  // NOTE: DynamoDB Local answers tagging calls with an error rather than UnknownOperation.
  return code === 'engine.unsupported' || /not (yet )?(supported|implemented)/i.test(msg);
}

/**
 * Make sure `wanted` tags are on the table: read them back and apply what is missing. dynalite
 * drops the Tags of CreateTable, so this is what makes tags real there. On an endpoint with no
 * tagging (DynamoDB Local) the result says so instead of failing.
 */
export async function ensureTags(
  clients: Clients,
  arn: string,
  wanted: Record<string, string>,
): Promise<TagsResult> {
  try {
    const current = await listTags(clients, arn);
    if (!current) return { supported: false, reason: 'this endpoint does not support tagging' };
    const missing = Object.entries(wanted).filter(([k, v]) => current[k] !== v);
    if (missing.length) {
      await call({ operation: 'TagResource', target: clients.label }, () =>
        clients.ddb.send(
          new TagResourceCommand({ ResourceArn: arn, Tags: missing.map(([Key, Value]) => ({ Key, Value })) }),
        ),
      );
    }
    const after = (await listTags(clients, arn)) ?? {};
    return { supported: true, tags: after, added: missing.map(([k]) => k) };
  } catch (e) {
    if (isUnsupported(e)) return { supported: false, reason: 'this endpoint does not support tagging' };
    throw e;
  }
}
