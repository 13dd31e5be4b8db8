/** TagResource, sent from here alone: add or change tags. */
import {
  TagResourceCommand,
  type TagResourceCommandInput,
  type TagResourceCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send TagResource; `table` names the table in error messages. */
export function tagResource(
  clients: Clients,
  input: TagResourceCommandInput,
  table?: string,
): Promise<TagResourceCommandOutput> {
  return call({ operation: 'TagResource', ...(table ? { table } : {}), target: clients.label }, () =>
    clients.ddb.send(new TagResourceCommand(input)),
  );
}
