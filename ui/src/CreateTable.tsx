/**
 * Create a table: a form that writes the spec `ddbctl apply` reads (shown, and editable as JSON),
 * then the plan the server makes of it, then apply.
 */
import { useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { ErrorLine, Field, goFrom, messageOf } from './shared.js';
import { confirmWrite, useTarget } from './target.js';

interface IndexRow {
  name: string;
  pk: string;
  pkType: string;
  sk: string;
  skType: string;
  projection: string;
}
/** A step of the plan, as `ddbctl plan -o json` gives it (the server's stepJson). */
interface Step {
  table?: string;
  kind: string;
  label?: string;
  description: string;
  limitNote?: string;
  reason?: string;
}
interface Plan {
  steps: Step[];
  unsupported?: Step[];
  notes?: string[];
}

const KEY_TYPES = ['S', 'N', 'B'];

function KeyType({
  value,
  onChange,
  testid,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  testid: string;
  label: string;
}) {
  return (
    <select
      aria-label={label}
      data-testid={testid}
      value={value}
      onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
    >
      {KEY_TYPES.map((t) => (
        <option key={t}>{t}</option>
      ))}
    </select>
  );
}

export function CreateTable() {
  const target = useTarget();
  const [name, setName] = useState('');
  const [pk, setPk] = useState('');
  const [pkType, setPkType] = useState('S');
  const [sk, setSk] = useState('');
  const [skType, setSkType] = useState('S');
  const [billing, setBilling] = useState('on-demand');
  const [read, setRead] = useState('5');
  const [write, setWrite] = useState('5');
  const [gsis, setGsis] = useState<IndexRow[]>([]);
  const [lsis, setLsis] = useState<IndexRow[]>([]);
  const [ttl, setTtl] = useState('');
  const [stream, setStream] = useState('');
  const [protect, setProtect] = useState(false);
  const [tags, setTags] = useState('');
  const [specText, setSpecText] = useState<string>();
  const [planned, setPlanned] = useState<Plan>();
  const steps = planned?.steps;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const fromForm = (): Record<string, unknown> => {
    const key = (n: string, t: string) => `${n.trim()}:${t}`;
    const spec: Record<string, unknown> = { name: name.trim(), partitionKey: key(pk, pkType) };
    if (sk.trim()) spec.sortKey = key(sk, skType);
    spec.billing = billing === 'on-demand' ? 'on-demand' : { read: Number(read), write: Number(write) };
    if (gsis.length)
      spec.gsis = gsis.map((g) => ({
        name: g.name.trim(),
        partitionKey: key(g.pk, g.pkType),
        ...(g.sk.trim() ? { sortKey: key(g.sk, g.skType) } : {}),
        projection: g.projection,
      }));
    if (lsis.length)
      spec.lsis = lsis.map((l) => ({
        name: l.name.trim(),
        sortKey: key(l.sk, l.skType),
        projection: l.projection,
      }));
    if (ttl.trim()) spec.ttl = ttl.trim();
    if (stream) spec.stream = stream;
    if (protect) spec.deletionProtection = true;
    const tagLines = tags
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (tagLines.length)
      spec.tags = Object.fromEntries(
        tagLines.map((l) => [l.split('=')[0]!.trim(), l.slice(l.indexOf('=') + 1).trim()]),
      );
    return spec;
  };
  const specNow = (): unknown => {
    if (specText === undefined) return fromForm();
    return JSON.parse(specText);
  };

  const plan = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setPlanned(undefined);
    setBusy(true);
    try {
      setPlanned(await api<Plan>('POST', '/plan', { spec: specNow() }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!(await confirmWrite(target, `Apply this plan (${steps?.length ?? 0} steps)`))) return;
    setBusy(true);
    const from = location.hash;
    try {
      const spec = specNow() as { name?: string };
      await api('POST', '/apply', { spec });
      goFrom(from, spec.name ? `/table/${enc(spec.name)}/describe` : '/');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const edit = () => {
    setPlanned(undefined);
    setSpecText(undefined);
  };

  const indexEditor = (kind: 'gsi' | 'lsi', rows: IndexRow[], set: (r: IndexRow[]) => void) => (
    <fieldset>
      <legend>{kind === 'gsi' ? 'Global secondary indexes' : 'Local secondary indexes'}</legend>
      {rows.map((r, i) => {
        const up = (patch: Partial<IndexRow>) => {
          set(rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
          edit();
        };
        return (
          <div class="row" key={i}>
            <Field label="Name">
              <input
                data-testid={`${kind}-name-${i}`}
                value={r.name}
                onInput={(e) => up({ name: (e.target as HTMLInputElement).value })}
              />
            </Field>
            {kind === 'gsi' && (
              <Field label="Partition key">
                <input
                  data-testid={`${kind}-pk-${i}`}
                  value={r.pk}
                  onInput={(e) => up({ pk: (e.target as HTMLInputElement).value })}
                />
              </Field>
            )}
            {kind === 'gsi' && (
              <KeyType
                label="Partition key type"
                testid={`${kind}-pk-type-${i}`}
                value={r.pkType}
                onChange={(pkType) => up({ pkType })}
              />
            )}
            <Field label="Sort key">
              <input
                data-testid={`${kind}-sk-${i}`}
                value={r.sk}
                onInput={(e) => up({ sk: (e.target as HTMLInputElement).value })}
              />
            </Field>
            <KeyType
              label="Sort key type"
              testid={`${kind}-sk-type-${i}`}
              value={r.skType}
              onChange={(skType) => up({ skType })}
            />
            <Field label="Projection">
              <select
                data-testid={`${kind}-projection-${i}`}
                value={r.projection}
                onChange={(e) => up({ projection: (e.target as HTMLSelectElement).value })}
              >
                <option>ALL</option>
                <option>KEYS_ONLY</option>
              </select>
            </Field>
            <button
              type="button"
              aria-label={`Remove index ${i + 1}`}
              onClick={() => set(rows.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
        );
      })}
      <button
        type="button"
        data-testid={`${kind}-add`}
        onClick={() =>
          set([...rows, { name: '', pk: '', pkType: 'S', sk: '', skType: 'S', projection: 'ALL' }])
        }
      >
        + index
      </button>
    </fieldset>
  );

  const onText = (setter: (v: string) => void) => (e: Event) => {
    setter((e.target as HTMLInputElement).value);
    edit();
  };
  return (
    <section>
      <h1>Create table</h1>
      <form onSubmit={plan} data-testid="create-form">
        <div class="row">
          <Field label="Table name">
            <input data-testid="create-name" required value={name} onInput={onText(setName)} />
          </Field>
        </div>
        <div class="row">
          <Field label="Partition key">
            <input data-testid="create-pk" required value={pk} onInput={onText(setPk)} />
          </Field>
          <KeyType
            label="Partition key type"
            testid="create-pk-type"
            value={pkType}
            onChange={(v) => {
              setPkType(v);
              edit();
            }}
          />
          <Field label="Sort key (optional)">
            <input data-testid="create-sk" value={sk} onInput={onText(setSk)} />
          </Field>
          <KeyType
            label="Sort key type"
            testid="create-sk-type"
            value={skType}
            onChange={(v) => {
              setSkType(v);
              edit();
            }}
          />
        </div>
        <div class="row">
          <Field label="Billing">
            <select data-testid="create-billing" value={billing} onChange={onText(setBilling)}>
              <option value="on-demand">On demand</option>
              <option value="provisioned">Provisioned</option>
            </select>
          </Field>
          {billing === 'provisioned' && (
            <>
              <Field label="Read units">
                <input class="short" type="number" min="1" value={read} onInput={onText(setRead)} />
              </Field>
              <Field label="Write units">
                <input class="short" type="number" min="1" value={write} onInput={onText(setWrite)} />
              </Field>
            </>
          )}
        </div>
        {indexEditor('gsi', gsis, setGsis)}
        {indexEditor('lsi', lsis, setLsis)}
        <div class="row">
          <Field label="TTL attribute">
            <input data-testid="create-ttl" value={ttl} onInput={onText(setTtl)} />
          </Field>
          <Field label="Stream">
            <select data-testid="create-stream" value={stream} onChange={onText(setStream)}>
              <option value="">off</option>
              <option>NEW_IMAGE</option>
              <option>OLD_IMAGE</option>
              <option>NEW_AND_OLD_IMAGES</option>
              <option>KEYS_ONLY</option>
            </select>
          </Field>
          <label class="check">
            <input
              type="checkbox"
              data-testid="create-protection"
              checked={protect}
              onChange={(e) => {
                setProtect((e.target as HTMLInputElement).checked);
                edit();
              }}
            />
            Deletion protection
          </label>
        </div>
        <Field label="Tags (one key=value a line)">
          <textarea rows={2} data-testid="create-tags" value={tags} onInput={onText(setTags)} />
        </Field>
        <label class="field">
          <span>The spec `ddbctl apply` reads (edit it for anything the form lacks)</span>
          <textarea
            class="json"
            rows={10}
            spellcheck={false}
            data-testid="create-spec"
            value={specText ?? JSON.stringify(fromForm(), null, 2)}
            onInput={(e) => {
              setSpecText((e.target as HTMLTextAreaElement).value);
              setPlanned(undefined);
            }}
          />
        </label>
        <button type="submit" class="primary" data-testid="create-plan" disabled={busy}>
          Show plan
        </button>
      </form>
      <ErrorLine error={error} testid="create-error" />
      {steps && (
        <div data-testid="create-steps">
          <h3>Plan</h3>
          {steps.length === 0 ? (
            <p>Nothing to do.</p>
          ) : (
            <ol>
              {steps.map((s, i) => (
                <li key={i}>
                  {s.description} <small>({s.kind})</small>
                  {s.reason && <div class="muted">{s.reason}</div>}
                  {s.limitNote && <div class="muted">{s.limitNote}</div>}
                </li>
              ))}
            </ol>
          )}
          {(planned?.unsupported?.length ?? 0) > 0 && (
            <>
              <h4>Not done on this target</h4>
              <ul data-testid="create-unsupported">
                {planned?.unsupported?.map((s, i) => (
                  <li key={i}>
                    {s.description}
                    {s.reason ? ` — ${s.reason}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {planned?.notes?.map((n, i) => (
            <p key={i} class="muted">
              {n}
            </p>
          ))}
          {steps.length > 0 && (
            <button type="button" class="primary" data-testid="create-apply" disabled={busy} onClick={apply}>
              Apply
            </button>
          )}
        </div>
      )}
    </section>
  );
}
