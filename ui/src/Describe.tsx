/** A table described: keys, indexes (with backfill state), TTL, stream, tags, protection; delete it by typing its name. */
import { useState } from 'preact/hooks';
import { api, enc, type IndexDescription, type TableInfo } from './api.js';
import { ErrorLine, Field, goFrom, messageOf } from './shared.js';
import { confirmWrite, useTarget } from './target.js';

function keysText(schema: { AttributeName: string; KeyType: string }[], types: Map<string, string>): string {
  return schema
    .map(
      (k) =>
        `${k.AttributeName} (${types.get(k.AttributeName) ?? '?'}, ${k.KeyType === 'HASH' ? 'partition' : 'sort'})`,
    )
    .join(' + ');
}

function tagsOf(tags: TableInfo['tags']): [string, string][] {
  if (!tags) return [];
  if (Array.isArray(tags)) return tags.map((t) => [t.Key, t.Value]);
  return Object.entries(tags);
}

export function Describe({ info }: { info: TableInfo }) {
  const t = info.table;
  const types = new Map(t.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]));
  const ttl = info.ttl as { TimeToLiveStatus?: string; AttributeName?: string } | undefined;
  const tags = tagsOf(info.tags);
  const indexRows = (kind: string, list: IndexDescription[] | undefined) =>
    (list ?? []).map((i) => (
      <tr key={i.IndexName} data-testid={`index-row-${i.IndexName}`}>
        <td>{kind}</td>
        <td>{i.IndexName}</td>
        <td>{keysText(i.KeySchema, types)}</td>
        <td>
          {i.Projection?.ProjectionType ?? ''}
          {i.Projection?.NonKeyAttributes ? ` (${i.Projection.NonKeyAttributes.join(', ')})` : ''}
        </td>
        <td data-testid={`index-status-${i.IndexName}`}>
          {i.IndexStatus ?? (kind === 'LSI' ? 'ACTIVE' : '')}
          {i.Backfilling ? ' (backfilling)' : ''}
        </td>
      </tr>
    ));
  const billing = t.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  return (
    <section data-testid="table-describe">
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="describe-status">{t.TableStatus}</dd>
        <dt>Key</dt>
        <dd data-testid="describe-key">{keysText(t.KeySchema, types)}</dd>
        <dt>Billing</dt>
        <dd data-testid="describe-billing">
          {billing}
          {billing === 'PROVISIONED' && t.ProvisionedThroughput
            ? ` (read ${t.ProvisionedThroughput.ReadCapacityUnits}, write ${t.ProvisionedThroughput.WriteCapacityUnits})`
            : ''}
        </dd>
        <dt>Items</dt>
        <dd>
          {t.ItemCount ?? '?'} ({t.TableSizeBytes ?? '?'} bytes)
        </dd>
        <dt>TTL</dt>
        <dd data-testid="describe-ttl">
          {ttl?.TimeToLiveStatus ?? 'DISABLED'}
          {ttl?.AttributeName ? ` on ${ttl.AttributeName}` : ''}
        </dd>
        <dt>Stream</dt>
        <dd data-testid="describe-stream">
          {t.StreamSpecification?.StreamEnabled ? (t.StreamSpecification.StreamViewType ?? 'enabled') : 'off'}
        </dd>
        <dt>Deletion protection</dt>
        <dd data-testid="describe-protection">{t.DeletionProtectionEnabled ? 'on' : 'off'}</dd>
        <dt>Point-in-time recovery</dt>
        <dd data-testid="describe-pitr">
          {(info.pitr as { PointInTimeRecoveryStatus?: string } | undefined)?.PointInTimeRecoveryStatus ??
            'unknown'}
        </dd>
        {t.TableClassSummary?.TableClass && (
          <>
            <dt>Class</dt>
            <dd>{t.TableClassSummary.TableClass}</dd>
          </>
        )}
      </dl>
      <h3>Indexes</h3>
      {(t.GlobalSecondaryIndexes?.length ?? 0) + (t.LocalSecondaryIndexes?.length ?? 0) === 0 ? (
        <p>None.</p>
      ) : (
        <table class="grid" data-testid="describe-indexes">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Name</th>
              <th>Key</th>
              <th>Projection</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {indexRows('GSI', t.GlobalSecondaryIndexes)}
            {indexRows('LSI', t.LocalSecondaryIndexes)}
          </tbody>
        </table>
      )}
      <h3>Tags</h3>
      {tags.length === 0 ? (
        <p>None.</p>
      ) : (
        <table class="grid" data-testid="describe-tags">
          <tbody>
            {tags.map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <DeleteTable name={t.TableName} protectedTable={t.DeletionProtectionEnabled === true} />
    </section>
  );
}

function DeleteTable({ name, protectedTable }: { name: string; protectedTable: boolean }) {
  const target = useTarget();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  if (target?.readOnly) return null;
  const del = async (e: Event) => {
    e.preventDefault();
    if (typed !== name) return;
    if (!(await confirmWrite(target, `Delete table ${name}`))) return;
    const from = location.hash;
    try {
      await api('DELETE', `/tables/${enc(name)}`, { confirm: typed });
      goFrom(from, '/');
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form class="danger-zone" onSubmit={del}>
      <h3>Delete table</h3>
      {protectedTable && <p>Deletion protection is on: the server will refuse until it is turned off.</p>}
      <Field label={`Type ${name} to delete the table and all its items`}>
        <input
          data-testid="table-delete-name"
          value={typed}
          onInput={(ev) => setTyped((ev.target as HTMLInputElement).value)}
        />
      </Field>
      <button type="submit" class="danger" data-testid="table-delete" disabled={typed !== name}>
        Delete table
      </button>
      <ErrorLine error={error} testid="table-delete-error" />
    </form>
  );
}
