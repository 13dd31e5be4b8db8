/** UntagResource, sent from here alone: remove tags. */
import {
  UntagResourceCommand,
  type UntagResourceCommandInput,
  type UntagResourceCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/** Send UntagResource; `table` names the table in error messages. */
export function untagResource(
  clients: Clients,
  input: UntagResourceCommandInput,
  table?: string,
): Promise<UntagResourceCommandOutput> {
  return call({ operation: 'UntagResource', ...(table ? { table } : {}), target: clients.label }, () =>
    clients.ddb.send(new UntagResourceCommand(input)),
  );
}
