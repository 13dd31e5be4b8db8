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
      await tagResource(clients, { ResourceArn: arn, Tags: missing.map(([Key, Value]) => ({ Key, Value })) });
    }
    const after = (await listTags(clients, arn)) ?? {};
    return { supported: true, tags: after, added: missing.map(([k]) => k) };
  } catch (e) {
    if (isUnsupported(e)) return { supported: false, reason: 'this endpoint does not support tagging' };
    throw e;
  }
}
