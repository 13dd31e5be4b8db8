/**
 * The item editor: a form (one row per attribute, its type one of the ten, maps and lists nested)
 * and a JSON view in ddbctl's plain JSON or in DynamoDB JSON. The item travels as DynamoDB JSON;
 * a save of an item that was read sends it as `expected`, so the server refuses (409) when someone
 * changed it since, instead of overwriting.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, enc, type TableDescription } from './api.js';
import {
  type DdbItem,
  ddbJsonText,
  InputError,
  parseDdbJson,
  parsePlainJson,
  plainJsonText,
  sameItem,
  TYPES,
  type TypeName,
} from './ddb.js';
import {
  emptyNode,
  type FormEntry,
  type FormNode,
  formToItem,
  fromForm,
  itemToForm,
  retype,
} from './form.js';
import { keyOf } from './keys.js';
import { confirmAction, ErrorLine, go, goFrom, messageOf } from './shared.js';
import { confirmWrite, useTarget } from './target.js';

type View = 'form' | 'plain' | 'ddb';

/** An item handed to the "new item" page by Duplicate. */
let draft: DdbItem | undefined;
/** Set when a new item was saved and the page moves to its address: the editor there says so. */
let created = false;

const TYPE_LABELS: Record<TypeName, string> = {
  S: 'S string',
  N: 'N number',
  B: 'B binary',
  BOOL: 'BOOL',
  NULL: 'NULL',
  SS: 'SS string set',
  NS: 'NS number set',
  BS: 'BS binary set',
  L: 'L list',
  M: 'M map',
};

export function Editor({ table, itemKey }: { table: TableDescription; itemKey?: DdbItem }) {
  const target = useTarget();
  const [original, setOriginal] = useState<DdbItem>();
  const [entries, setEntries] = useState<FormEntry[]>([]);
  const [view, setView] = useState<View>('form');
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [loading, setLoading] = useState(itemKey !== undefined);
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState(false);
  // The form holds a new item's key template as it opened (key rows with empty values, nothing
  // typed): the JSON views start from a template. Rows from anywhere else (a duplicate, a JSON view,
  // a typed value) are the item itself and are converted exactly, or not at all.
  const [pristine, setPristine] = useState(false);
  const [reloads, setReloads] = useState(0);
  const tableUrl = `/table/${enc(table.TableName)}`;

  useEffect(() => {
    setError(undefined);
    setNotice(undefined);
    setStale(false);
    if (itemKey === undefined) {
      const start: DdbItem = draft ?? {};
      draft = undefined;
      const fromSchema = Object.keys(start).length === 0;
      if (fromSchema)
        for (const k of table.KeySchema) {
          const t = table.AttributeDefinitions.find(
            (a) => a.AttributeName === k.AttributeName,
          )?.AttributeType;
          start[k.AttributeName] = t === 'N' ? { N: '' } : t === 'B' ? { B: '' } : { S: '' };
        }
      setOriginal(undefined);
      setEntries(itemToForm(start));
      setPristine(fromSchema);
      setView('form');
      return;
    }
    setLoading(true);
    api<{ item: DdbItem }>(
      'GET',
      `/tables/${enc(table.TableName)}/item?key=${enc(JSON.stringify(itemKey))}`,
    ).then(
      (r) => {
        if (created) setNotice('Created.');
        created = false;
        setOriginal(r.item);
        setEntries(itemToForm(r.item));
        setView('form');
        setLoading(false);
      },
      (e) => {
        setError(messageOf(e));
        setLoading(false);
      },
    );
  }, [table.TableName, JSON.stringify(itemKey), reloads]);

  /** The item as the current view holds it, checked; throws InputError. */
  const current = (): DdbItem => {
    if (view === 'form') return formToItem(entries);
    return view === 'plain' ? parsePlainJson(text) : parseDdbJson(text);
  };
  const fail = (e: unknown) => setError(e instanceof InputError ? e.message : messageOf(e));

  const switchTo = (next: View) => {
    if (next === view) return;
    try {
      const item = view === 'form' && pristine ? template(entries) : current();
      if (next === 'form') {
        setEntries(itemToForm(item));
        setPristine(false);
      } else setText(next === 'plain' ? plainJsonText(item) : ddbJsonText(item));
      setView(next);
      setError(undefined);
    } catch (e) {
      fail(e);
    }
  };

  const save = async () => {
    let item: DdbItem;
    try {
      item = current();
    } catch (e) {
      return fail(e);
    }
    const sameKey = original !== undefined && sameItem(keyOf(table, original), keyOf(table, item));
    if (!(await confirmWrite(target, `Save this item in ${table.TableName}`))) return;
    setBusy(true);
    setError(undefined);
    const from = location.hash;
    try {
      const r = await api<{ item: DdbItem }>('PUT', `/tables/${enc(table.TableName)}/item`, {
        item,
        ...(sameKey ? { expected: original } : {}),
      });
      const saved = r.item ?? item;
      setOriginal(saved);
      setNotice(sameKey ? 'Saved.' : 'Created.');
      // The item's page says "Created." when it opens: only when the page goes there.
      if (!sameKey)
        created = goFrom(from, `${tableUrl}/item?key=${enc(JSON.stringify(keyOf(table, saved)))}`);
    } catch (e) {
      // The server's message says what happened and what to do (reload, or open the existing item).
      setStale(e instanceof ApiError && e.code === 'ui.changed');
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!original) return;
    const ok = await confirmAction(
      `Delete this item from ${table.TableName}${target?.kind === 'aws' ? ` on AWS (${target.account ?? ''} ${target.region ?? ''})` : ''}?`,
      'Delete',
    );
    if (!ok) return;
    setBusy(true);
    const from = location.hash;
    try {
      await api('DELETE', `/tables/${enc(table.TableName)}/item`, {
        key: keyOf(table, original),
        expected: original,
      });
      goFrom(from, `${tableUrl}/items`);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const duplicate = () => {
    try {
      draft = current();
      go(`${tableUrl}/new`);
    } catch (e) {
      fail(e);
    }
  };

  if (loading) return <p>Loading…</p>;
  const readOnly = target?.readOnly ?? false;
  // An edited key makes Save create another item (the one read stays): say so before the click.
  let keyChanged = false;
  if (original && view === 'form') {
    try {
      keyChanged = !sameItem(keyOf(table, original), keyOf(table, formToItem(entries)));
    } catch {
      // A value being typed is not valid yet: Save will say which.
    }
  }
  return (
    <section data-testid="item-editor">
      <div class="row">
        <h2>{original ? 'Edit item' : 'New item'}</h2>
        <div class="tabs" role="tablist" aria-label="Item view">
          {(['form', 'plain', 'ddb'] as View[]).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              data-testid={`editor-view-${v}`}
              onClick={() => switchTo(v)}
            >
              {v === 'form' ? 'Form' : v === 'plain' ? 'JSON' : 'DynamoDB JSON'}
            </button>
          ))}
        </div>
      </div>
      {view === 'form' ? (
        <div class="form" data-testid="editor-form">
          <EntriesEditor
            entries={entries}
            onChange={(e) => {
              setEntries(e);
              setPristine(false);
            }}
            path=""
            named
          />
        </div>
      ) : (
        <textarea
          class="json"
          data-testid="editor-json"
          aria-label={view === 'plain' ? 'Item as JSON' : 'Item as DynamoDB JSON'}
          spellcheck={false}
          value={text}
          rows={Math.min(30, Math.max(8, text.split('\n').length + 1))}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
      )}
      <ErrorLine error={error} testid="editor-error" />
      {keyChanged && (
        <p class="muted" data-testid="editor-key-changed">
          The key changed: Save creates a new item and leaves the one you opened as it is.
        </p>
      )}
      {notice && !error && (
        <p class="notice" role="status" data-testid="editor-notice">
          {notice}
        </p>
      )}
      <div class="row">
        {!readOnly && (
          <button type="button" class="primary" data-testid="editor-save" disabled={busy} onClick={save}>
            Save
          </button>
        )}
        {!readOnly && original && (
          <button type="button" data-testid="editor-duplicate" onClick={duplicate}>
            Duplicate
          </button>
        )}
        {!readOnly && original && (
          <button type="button" class="danger" data-testid="editor-delete" disabled={busy} onClick={remove}>
            Delete
          </button>
        )}
        {stale && (
          <button type="button" data-testid="editor-reload" onClick={() => setReloads((n) => n + 1)}>
            Reload (drops your changes)
          </button>
        )}
        <button type="button" data-testid="editor-back" onClick={() => go(`${tableUrl}/items`)}>
          Back to items
        </button>
      </div>
    </section>
  );
}

/**
 * The untouched new item's key rows with a placeholder where a value is empty and must be typed
 * (0, ""); any other row as the form says, exactly (never a string in place of another type).
 */
function template(entries: FormEntry[]): DdbItem {
  const out: DdbItem = {};
  entries.forEach((e, i) => {
    const empty = e.node.text.trim() === '';
    if (e.node.type === 'N' && empty) out[e.name] = { N: '0' };
    else if (e.node.type === 'B' && empty) out[e.name] = { B: '' };
    else out[e.name] = fromForm(e.node, e.name || `#${i + 1}`);
  });
  return out;
}

function replaceAt<T>(list: T[], i: number, v: T): T[] {
  return list.map((x, j) => (j === i ? v : x));
}

/** The rows of a map (named) or a list (numbered). `path` names them for data-testid: "0", "0.2". */
function EntriesEditor({
  entries,
  onChange,
  path,
  named,
}: {
  entries: FormEntry[];
  onChange: (e: FormEntry[]) => void;
  path: string;
  named: boolean;
}) {
  const p = (i: number) => (path === '' ? String(i) : `${path}.${i}`);
  const suffix = path === '' ? '' : `-${path}`;
  return (
    <div class="entries">
      {entries.map((e, i) => (
        <div class="entry" key={i} data-testid={`attr-row-${p(i)}`}>
          {named ? (
            <input
              class="name"
              aria-label="Attribute name"
              placeholder="name"
              data-testid={`attr-name-${p(i)}`}
              value={e.name}
              onInput={(ev) =>
                onChange(replaceAt(entries, i, { ...e, name: (ev.target as HTMLInputElement).value }))
              }
            />
          ) : (
            <span class="index">[{i}]</span>
          )}
          <NodeEditor
            node={e.node}
            path={p(i)}
            label={named ? e.name || 'attribute' : `item ${i}`}
            onChange={(node) => onChange(replaceAt(entries, i, { ...e, node }))}
          />
          <button
            type="button"
            aria-label={`Remove ${named ? e.name || 'attribute' : `item ${i}`}`}
            data-testid={`attr-remove-${p(i)}`}
            onClick={() => onChange(entries.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        data-testid={`attr-add${suffix}`}
        onClick={() => onChange([...entries, { name: '', node: emptyNode() }])}
      >
        {named ? '+ attribute' : '+ element'}
      </button>
    </div>
  );
}

function NodeEditor({
  node,
  path,
  label,
  onChange,
}: {
  node: FormNode;
  path: string;
  label: string;
  onChange: (n: FormNode) => void;
}) {
  const typeSelect = (
    <select
      aria-label={`Type of ${label}`}
      data-testid={`attr-type-${path}`}
      value={node.type}
      onChange={(e) => onChange(retype(node, (e.target as HTMLSelectElement).value as TypeName))}
    >
      {TYPES.map((t) => (
        <option key={t} value={t}>
          {TYPE_LABELS[t]}
        </option>
      ))}
    </select>
  );
  let value: preact.JSX.Element;
  switch (node.type) {
    case 'S':
    case 'N':
    case 'B':
      value = (
        <input
          class="value"
          aria-label={`Value of ${label}`}
          data-testid={`attr-value-${path}`}
          inputMode={node.type === 'N' ? 'decimal' : undefined}
          placeholder={
            node.type === 'N' ? '12345678901234567890123456789012345678' : node.type === 'B' ? 'base64' : ''
          }
          value={node.text}
          onInput={(e) => onChange({ ...node, text: (e.target as HTMLInputElement).value })}
        />
      );
      break;
    case 'BOOL':
      value = (
        <select
          aria-label={`Value of ${label}`}
          data-testid={`attr-value-${path}`}
          value={node.text}
          onChange={(e) => onChange({ ...node, text: (e.target as HTMLSelectElement).value })}
        >
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
      break;
    case 'NULL':
      value = <span data-testid={`attr-value-${path}`}>null</span>;
      break;
    case 'SS':
    case 'NS':
    case 'BS':
      value = (
        <div class="members">
          {node.members.map((m, k) => (
            <span class="member" key={k}>
              <input
                aria-label={`Member ${k + 1} of ${label}`}
                data-testid={`member-${path}-${k}`}
                value={m}
                onInput={(e) =>
                  onChange({
                    ...node,
                    members: replaceAt(node.members, k, (e.target as HTMLInputElement).value),
                  })
                }
              />
              <button
                type="button"
                aria-label={`Remove member ${k + 1}`}
                data-testid={`member-remove-${path}-${k}`}
                onClick={() => onChange({ ...node, members: node.members.filter((_, j) => j !== k) })}
              >
                ✕
              </button>
            </span>
          ))}
          <button
            type="button"
            data-testid={`member-add-${path}`}
            onClick={() => onChange({ ...node, members: [...node.members, ''] })}
          >
            + member
          </button>
        </div>
      );
      break;
    case 'L':
    case 'M':
      value = (
        <EntriesEditor
          entries={node.children}
          path={path}
          named={node.type === 'M'}
          onChange={(children) => onChange({ ...node, children })}
        />
      );
      break;
  }
  return (
    <div class={`node node-${node.type}`}>
      {typeSelect}
      {value}
    </div>
  );
}
