/** A PartiQL statement and its answer as a table (columns from the items), next page kept. */

import { useState } from 'preact/hooks';
import { api } from './api.js';
import { CellText } from './Cell.js';
import { type AttributeValue, type DdbItem, InputError, parseDdbJsonValues, plainValueText } from './ddb.js';
import { ErrorLine, messageOf } from './shared.js';
import { confirmWrite, useTarget } from './target.js';

export function PartiQL() {
  const target = useTarget();
  const [statement, setStatement] = useState('');
  const [params, setParams] = useState('');
  const [items, setItems] = useState<DdbItem[]>();
  const [nextToken, setNextToken] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // A new statement that failed shows no results: the previous ones are not its answer. A next
  // page that failed keeps the pages loaded (they are still that statement's).
  const failed = (message: string, more: boolean) => {
    setError(message);
    if (more) return;
    setItems(undefined);
    setNextToken(undefined);
  };

  const run = async (more: boolean) => {
    setError(undefined);
    let parameters: AttributeValue[] | undefined;
    try {
      if (params.trim()) parameters = parseDdbJsonValues(params);
    } catch (e) {
      failed(`Parameters: ${e instanceof InputError ? e.message : messageOf(e)}`, more);
      return;
    }
    const isRead = /^\s*select\b/i.test(statement);
    if (!more && !isRead && !(await confirmWrite(target, 'Run this statement'))) return;
    setBusy(true);
    try {
      const r = await api<{ items: DdbItem[]; nextToken?: string }>('POST', '/partiql', {
        statement,
        ...(parameters ? { parameters } : {}),
        ...(more && nextToken ? { nextToken } : {}),
      });
      setItems((old) => (more && old ? [...old, ...r.items] : r.items));
      setNextToken(r.nextToken);
    } catch (e) {
      failed(messageOf(e), more);
    } finally {
      setBusy(false);
    }
  };
  const columns: string[] = [];
  for (const it of items ?? []) for (const k of Object.keys(it)) if (!columns.includes(k)) columns.push(k);

  if (target && target.features.partiql === false)
    return <p data-testid="partiql-unsupported">This target does not support PartiQL.</p>;
  return (
    <section>
      <h1>PartiQL</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(false);
        }}
      >
        <label class="field">
          <span>Statement (Ctrl+Enter runs it)</span>
          <textarea
            class="json"
            rows={5}
            data-testid="partiql-statement"
            spellcheck={false}
            placeholder={'SELECT * FROM "users" WHERE "username" = ?'}
            value={statement}
            onInput={(e) => setStatement((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void run(false);
              }
            }}
          />
        </label>
        <label class="field">
          <span>Parameters (DynamoDB JSON list, such as [{'{"S": "ada"}'}])</span>
          <input
            class="wide"
            data-testid="partiql-parameters"
            value={params}
            onInput={(e) => setParams((e.target as HTMLInputElement).value)}
          />
        </label>
        <button
          type="submit"
          class="primary"
          data-testid="partiql-run"
          disabled={busy || statement.trim() === ''}
        >
          Run
        </button>
      </form>
      <ErrorLine error={error} testid="partiql-error" />
      {items && (
        <>
          <p data-testid="partiql-count">
            {items.length} item{items.length === 1 ? '' : 's'}
          </p>
          <div class="scroll">
            <table class="grid" data-testid="partiql-results">
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {items.map((it, i) => (
                  <tr key={i}>
                    {columns.map((c) => (
                      <td key={c}>
                        {it[c] ? (
                          <CellText text={plainValueText(it[c])} testid={`partiql-more-${i}-${c}`} />
                        ) : (
                          ''
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {nextToken && (
            <button type="button" data-testid="partiql-next" disabled={busy} onClick={() => void run(true)}>
              Load next page
            </button>
          )}
        </>
      )}
    </section>
  );
}
