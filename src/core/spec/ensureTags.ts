/**
 * Tags made sure of: read back, and what is missing applied with TagResource (dynalite drops the
 * Tags of CreateTable). Used by the lab, apply and the copy of a whole target.
 */
import type { Clients } from '../clients.js';
import { tagResource } from '../control/tagResource.js';
import { isUnsupported, listTags } from '../control/tags.js';

export type TagsResult =
  | { supported: true; tags: Record<string, string>; added: string[] }
  | { supported: false; reason: string };

const NO_TAGGING: TagsResult = { supported: false, reason: 'this endpoint does not support tagging' };

/** The table's tags as they are, changing nothing; on an endpoint with no tagging, that it has none. */
export async function readTags(clients: Clients, arn: string): Promise<TagsResult> {
  try {
    const tags = await listTags(clients, arn);
    return tags ? { supported: true, tags, added: [] } : NO_TAGGING;
  } catch (e) {
    if (isUnsupported(e)) return NO_TAGGING;
    throw e;
  }
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
  const current = await readTags(clients, arn);
  if (!current.supported) return current;
  const missing = Object.entries(wanted).filter(([k, v]) => current.tags[k] !== v);
  if (missing.length === 0) return current;
  try {
    await tagResource(clients, { ResourceArn: arn, Tags: missing.map(([Key, Value]) => ({ Key, Value })) });
    const after = (await listTags(clients, arn)) ?? {};
    return { supported: true, tags: after, added: missing.map(([k]) => k) };
  } catch (e) {
    if (isUnsupported(e)) return NO_TAGGING;
    throw e;
  }
}
