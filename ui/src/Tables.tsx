/** The tables list: name, status, item count (DynamoDB's, refreshed about every six hours on AWS), billing. */
import { useEffect, useState } from 'preact/hooks';
import { api, enc, type TableSummary } from './api.js';
import { ErrorLine, go, messageOf } from './shared.js';
import { useTarget } from './target.js';

export function Tables() {
  const target = useTarget();
  const [tables, setTables] = useState<TableSummary[]>();
  const [error, setError] = useState<string>();
  const load = () => {
    setError(undefined);
    api<{ tables: TableSummary[] }>('GET', '/tables').then(
      (r) => setTables(r.tables),
      (e) => setError(messageOf(e)),
    );
  };
  useEffect(load, []);
  return (
    <section>
      <div class="row">
        <h1>Tables</h1>
        <button type="button" data-testid="tables-refresh" onClick={load}>
          Refresh
        </button>
        {!target?.readOnly && (
          <button type="button" data-testid="table-create" onClick={() => go('/create')}>
            Create table
          </button>
        )}
      </div>
      <ErrorLine error={error} testid="tables-error" />
      {tables === undefined && !error && <p>Loading…</p>}
      {tables !== undefined && tables.length === 0 && <p data-testid="tables-empty">No tables yet.</p>}
      {tables !== undefined && tables.length > 0 && (
        <table class="grid" data-testid="tables-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th class="num">Items</th>
              <th>Billing</th>
            </tr>
          </thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.name} data-testid={`table-row-${t.name}`}>
                <td>
                  <a href={`#/table/${enc(t.name)}/items`} data-testid={`table-link-${t.name}`}>
                    {t.name}
                  </a>
                </td>
                <td>{t.status}</td>
                <td class="num" data-testid={`table-count-${t.name}`}>
                  {t.itemCount ?? ''}
                </td>
                <td>{t.billing ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
