/**
 * A table's items: the scan/query builder (the same request `ddbctl query/scan` sends), the loaded
 * rows with columns discovered from them (chosen and reordered), sorted in the page, selected for
 * a bulk delete, paged with the next page appended.
 */

import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, enc, type ReadRequest, type ReadResult, type SkOp, type TableDescription } from './api.js';
import { CellText } from './Cell.js';
import { arrangeColumns, discoverColumns, moveColumn } from './columns.js';
import { compareValues, type DdbItem, InputError, plainValueText } from './ddb.js';
import { indexNames, keyInfo, keyOf } from './keys.js';
import { buildRequest, NEW_QUERY, type Query, SK_OPS, TEXT_FIELDS } from './query.js';
import { confirmAction, ErrorLine, Field, go, messageOf } from './shared.js';
import { useTarget } from './target.js';

/**
 * Each table's builder and last request while the page is open: back from the item editor, the
 * builder is as it was and its first page is read again (so an edit or a delete shows).
 */
const saved = new Map<string, { q: Query; request?: ReadRequest }>();

export function Items({ table }: { table: TableDescription }) {
  const target = useTarget();
  const [q, setQ] = useState<Query>(() => saved.get(table.TableName)?.q ?? NEW_QUERY);
  const set = (patch: Partial<Query>) => setQ((old) => ({ ...old, ...patch }));
  const { mode, index, pk, skOp, sk0, sk1, descending, consistent, limit } = q;
  const [rows, setRows] = useState<DdbItem[]>([]);
  const [lastKey, setLastKey] = useState<DdbItem>();
  const [request, setRequest] = useState<ReadRequest | undefined>(() => saved.get(table.TableName)?.request);
  const [totals, setTotals] = useState({ count: 0, scanned: 0 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [order, setOrder] = useState<string[]>([]);
  const [sort, setSort] = useState<{ col: string; desc: boolean }>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const keys = keyInfo(table, index);
  const { gsi, lsi } = indexNames(table);

  const build = (): ReadRequest => buildRequest(table, q);

  const read = async (req: ReadRequest, append: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<ReadResult>('POST', `/tables/${enc(table.TableName)}/read`, req);
      setRows((old) => (append ? [...old, ...r.items] : r.items));
      setTotals((old) =>
        append
          ? { count: old.count + r.count, scanned: old.scanned + r.scanned }
          : { count: r.count, scanned: r.scanned },
      );
      setLastKey(r.lastKey);
      if (!append) setSelected(new Set());
    } catch (e) {
      setError(messageOf(e));
      // A new read that failed shows no rows: the previous ones are not its answer.
      if (!append) clearRows();
    } finally {
      setBusy(false);
    }
  };

  const clearRows = () => {
    setRows([]);
    setTotals({ count: 0, scanned: 0 });
    setLastKey(undefined);
    setSelected(new Set());
  };

  const run = (e?: Event) => {
    e?.preventDefault();
    let req: ReadRequest;
    try {
      req = build();
    } catch (err) {
      setError(err instanceof InputError ? err.message : String(err));
      clearRows();
      return;
    }
    setRequest(req);
    void read(req, false);
  };
  useEffect(() => {
    saved.set(table.TableName, { q, ...(request ? { request } : {}) });
  }, [table.TableName, q, request]);
  // Once, when the page opens: the saved request read again.
  useEffect(() => {
    if (request) void read(request, false);
  }, []);
  const next = () => {
    if (request && lastKey) void read({ ...request, startKey: lastKey }, true);
  };

  // Columns: the keys first (the index's, then the table's), then the others as the rows show them.
  const discovered = useMemo(
    () =>
      discoverColumns(
        [keys.pk, ...(keys.sk ? [keys.sk] : []), ...table.KeySchema.map((k) => k.AttributeName)],
        rows,
      ),
    [rows, table, keys.pk, keys.sk],
  );
  const columns = arrangeColumns(order, discovered);
  const shown = columns.filter((c) => !hidden.has(c));
  const move = (col: string, by: number) => setOrder(moveColumn(columns, col, by));

  const rowKey = (item: DdbItem) => JSON.stringify(keyOf(table, item));
  const sorted = useMemo(() => {
    const out = rows.map((item) => ({ item, id: rowKey(item) }));
    if (sort) {
      out.sort((a, b) => {
        const c = compareValues(a.item[sort.col], b.item[sort.col]);
        return sort.desc ? -c : c;
      });
    }
    return out;
  }, [rows, sort]);
  const toggleSort = (col: string) =>
    setSort((s) => (s?.col === col ? (s.desc ? undefined : { col, desc: true }) : { col, desc: false }));
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const allSelected = sorted.length > 0 && sorted.every((r) => selected.has(r.id));

  const bulkDelete = async () => {
    const keysToDelete = sorted.filter((r) => selected.has(r.id)).map((r) => keyOf(table, r.item));
    if (keysToDelete.length === 0) return;
    const ok = await confirmAction(
      `Delete ${keysToDelete.length} item${keysToDelete.length === 1 ? '' : 's'} from ${table.TableName}${
        target?.kind === 'aws' ? ` on AWS (${target.account ?? ''} ${target.region ?? ''})` : ''
      }?`,
      'Delete',
    );
    if (!ok) return;
    setBusy(true);
    try {
      const r = await api<{ deleted: number; failed: { key: DdbItem; message: string }[] }>(
        'POST',
        `/tables/${enc(table.TableName)}/delete-items`,
        { keys: keysToDelete },
      );
      const failed = new Set(r.failed.map((f) => JSON.stringify(f.key)));
      const gone = new Set([...selected].filter((id) => !failed.has(id)));
      setRows((old) => old.filter((item) => !gone.has(rowKey(item))));
      setSelected(new Set([...selected].filter((id) => failed.has(id))));
      setError(
        r.failed.length
          ? `${r.deleted} deleted; ${r.failed.length} failed: ${r.failed.map((f) => f.message).join('; ')}`
          : undefined,
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const open = (item: DdbItem) =>
    go(`/table/${enc(table.TableName)}/item?key=${enc(JSON.stringify(keyOf(table, item)))}`);

  return (
    <section>
      <form class="builder" onSubmit={run} data-testid="read-form">
        <div class="row">
          <Field label="Operation">
            <select
              data-testid="read-mode"
              value={mode}
              onChange={(e) => set({ mode: (e.target as HTMLSelectElement).value as 'scan' | 'query' })}
            >
              <option value="scan">Scan</option>
              <option value="query">Query</option>
            </select>
          </Field>
          <Field label="Index">
            <select
              data-testid="read-index"
              value={index}
              onChange={(e) => {
                set({ index: (e.target as HTMLSelectElement).value, skOp: '' });
              }}
            >
              <option value="">Table</option>
              {gsi.map((n) => (
                <option key={n} value={n}>
                  GSI {n}
                </option>
              ))}
              {lsi.map((n) => (
                <option key={n} value={n}>
                  LSI {n}
                </option>
              ))}
            </select>
          </Field>
          {mode === 'query' && (
            <Field label={`${keys.pk} (${keys.pkType}) =`}>
              <input
                data-testid="read-pk"
                value={pk}
                onInput={(e) => set({ pk: (e.target as HTMLInputElement).value })}
              />
            </Field>
          )}
          {mode === 'query' && keys.sk && (
            <>
              <Field label={`${keys.sk} (${keys.skType})`}>
                <select
                  data-testid="read-sk-op"
                  value={skOp}
                  onChange={(e) => set({ skOp: (e.target as HTMLSelectElement).value as SkOp | '' })}
                >
                  <option value="">any</option>
                  {SK_OPS.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </Field>
              {skOp && (
                <Field label={skOp === 'between' ? 'from' : 'value'}>
                  <input
                    data-testid="read-sk-value-0"
                    value={sk0}
                    onInput={(e) => set({ sk0: (e.target as HTMLInputElement).value })}
                  />
                </Field>
              )}
              {skOp === 'between' && (
                <Field label="and">
                  <input
                    data-testid="read-sk-value-1"
                    value={sk1}
                    onInput={(e) => set({ sk1: (e.target as HTMLInputElement).value })}
                  />
                </Field>
              )}
            </>
          )}
        </div>
        <div class="row">
          {TEXT_FIELDS.map(([field, label, placeholder, wide]) => (
            <Field key={field} label={label}>
              <input
                {...(wide ? { class: 'wide' } : {})}
                data-testid={`read-${field}`}
                placeholder={placeholder}
                value={q[field]}
                onInput={(e) => set({ [field]: (e.target as HTMLInputElement).value })}
              />
            </Field>
          ))}
          <Field label="Page size">
            <input
              class="short"
              type="number"
              min="1"
              data-testid="read-limit"
              value={limit}
              onInput={(e) => set({ limit: (e.target as HTMLInputElement).value })}
            />
          </Field>
        </div>
        <p class="hint" data-testid="read-names-hint">
          Names as in ddbctl: reserved words (status, name) as they are; a name with a dot, a dash, a space or
          other characters between backticks (`a.b`, `first-name`), or a #name placeholder.
        </p>
        <div class="row">
          {mode === 'query' && (
            <label class="check">
              <input
                type="checkbox"
                data-testid="read-descending"
                checked={descending}
                onChange={(e) => set({ descending: (e.target as HTMLInputElement).checked })}
              />
              Descending
            </label>
          )}
          <label class="check">
            <input
              type="checkbox"
              data-testid="read-consistent"
              checked={consistent}
              onChange={(e) => set({ consistent: (e.target as HTMLInputElement).checked })}
            />
            Consistent read
          </label>
          <button type="submit" class="primary" data-testid="read-run" disabled={busy}>
            {mode === 'scan' ? 'Scan' : 'Query'}
          </button>
          {!target?.readOnly && (
            <button
              type="button"
              data-testid="item-new"
              onClick={() => go(`/table/${enc(table.TableName)}/new`)}
            >
              New item
            </button>
          )}
        </div>
      </form>
      <ErrorLine error={error} testid="read-error" />
      {request && (
        <>
          <div class="row">
            <span data-testid="read-count">
              {rows.length} item{rows.length === 1 ? '' : 's'} loaded ({totals.scanned} scanned)
            </span>
            {!target?.readOnly && (
              <button
                type="button"
                class="danger"
                data-testid="bulk-delete"
                disabled={selected.size === 0 || busy}
                onClick={bulkDelete}
              >
                Delete selected ({selected.size})
              </button>
            )}
            <details class="columns">
              <summary data-testid="columns-button">Columns</summary>
              <ul>
                {columns.map((c, i) => (
                  <li key={c}>
                    <label class="check">
                      <input
                        type="checkbox"
                        data-testid={`column-toggle-${c}`}
                        checked={!hidden.has(c)}
                        onChange={() =>
                          setHidden((h) => {
                            const n = new Set(h);
                            if (n.has(c)) n.delete(c);
                            else n.add(c);
                            return n;
                          })
                        }
                      />
                      {c}
                    </label>
                    <button
                      type="button"
                      aria-label={`Move ${c} left`}
                      data-testid={`column-up-${c}`}
                      disabled={i === 0}
                      onClick={() => move(c, -1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      aria-label={`Move ${c} right`}
                      data-testid={`column-down-${c}`}
                      disabled={i === columns.length - 1}
                      onClick={() => move(c, 1)}
                    >
                      ↓
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          </div>
          <div class="scroll">
            <table class="grid" data-testid="items-grid">
              <thead>
                <tr>
                  {!target?.readOnly && (
                    <th>
                      <input
                        type="checkbox"
                        aria-label="Select all loaded items"
                        data-testid="select-all"
                        checked={allSelected}
                        onChange={() =>
                          setSelected(allSelected ? new Set() : new Set(sorted.map((r) => r.id)))
                        }
                      />
                    </th>
                  )}
                  {shown.map((c) => (
                    <th
                      key={c}
                      aria-sort={sort?.col === c ? (sort.desc ? 'descending' : 'ascending') : undefined}
                    >
                      <button
                        type="button"
                        class="link"
                        data-testid={`sort-${c}`}
                        onClick={() => toggleSort(c)}
                      >
                        {c}
                        {sort?.col === c ? (sort.desc ? ' ▼' : ' ▲') : ''}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sorted.map(({ item, id }, i) => (
                  <tr key={id} data-testid={`item-row-${i}`} data-key={id}>
                    {!target?.readOnly && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Select item ${i + 1}`}
                          data-testid={`item-select-${i}`}
                          checked={selected.has(id)}
                          onChange={() => toggle(id)}
                        />
                      </td>
                    )}
                    {shown.map((c, j) => {
                      const v = item[c];
                      const text = v === undefined ? '' : plainValueText(v);
                      return (
                        <td key={c} data-testid={`cell-${i}-${c}`} title={v ? Object.keys(v)[0] : undefined}>
                          {j === 0 ? (
                            <CellText
                              text={text || '(open)'}
                              testid={`cell-more-${i}-${c}`}
                              wrap={(label) => (
                                <a
                                  href={`#/table/${enc(table.TableName)}/item?key=${enc(JSON.stringify(keyOf(table, item)))}`}
                                  data-testid={`item-open-${i}`}
                                  onClick={(e) => {
                                    e.preventDefault();
                                    open(item);
                                  }}
                                >
                                  {label}
                                </a>
                              )}
                            />
                          ) : (
                            <CellText text={text} testid={`cell-more-${i}-${c}`} />
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {lastKey && (
            <button type="button" data-testid="read-next" disabled={busy} onClick={next}>
              Load next page
            </button>
          )}
        </>
      )}
    </section>
  );
}
