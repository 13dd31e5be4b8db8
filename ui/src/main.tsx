/**
 * ddbctl ui's page: a banner naming the target (coloured on AWS), the navigation, and the page the
 * hash names: #/ tables, #/create, #/partiql, #/table/<name>/(items|describe|transfer|new),
 * #/table/<name>/item?key=<DynamoDB JSON key>.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, enc, type TableInfo, type Target } from './api.js';
import { CreateTable } from './CreateTable.js';
import { Describe } from './Describe.js';
import { type DdbItem, InputError, parseDdbJson } from './ddb.js';
import { Editor } from './Editor.js';
import { Items } from './Items.js';
import { PartiQL } from './PartiQL.js';
import { parseHash } from './route.js';
import { ConfirmHost, ErrorLine, messageOf, useHash } from './shared.js';
import { Tables } from './Tables.js';
import { Transfer } from './Transfer.js';
import { TargetContext } from './target.js';
import './style.css';

function Banner({ target }: { target: Target }) {
  // NOTE: the label may name the region already (an endpoint's "(region x)", AWS's "AWS x"): once is enough.
  const named = (part: string | undefined) => part && !target.label.includes(part);
  const where = [
    named(target.account) && `account ${target.account}`,
    named(target.region) && `region ${target.region}`,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div class={`banner banner-${target.kind}`} data-testid="target-banner" data-kind={target.kind}>
      <strong>
        {target.kind === 'aws' && !/\baws\b/i.test(target.label) ? `AWS ${target.label}` : target.label}
      </strong>
      {where && ` — ${where}`}
      {target.readOnly && (
        <span class="badge" data-testid="read-only">
          read-only (start with --allow-writes to change data)
        </span>
      )}
    </div>
  );
}

function TablePage({ name, tab, query }: { name: string; tab: string; query: URLSearchParams }) {
  const [info, setInfo] = useState<TableInfo>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setInfo(undefined);
    setError(undefined);
    // An answer that comes after the page moved on (another table) is not this page's.
    let live = true;
    api<TableInfo>('GET', `/tables/${enc(name)}`).then(
      (i) => live && setInfo(i),
      (e) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [name, tab === 'describe']);
  let itemKey: DdbItem | undefined;
  let keyError: string | undefined;
  if (tab === 'item') {
    try {
      itemKey = parseDdbJson(query.get('key') ?? '');
    } catch (e) {
      keyError = e instanceof InputError ? `The key in the address: ${e.message}` : String(e);
    }
  }
  const tabs: [string, string][] = [
    ['items', 'Items'],
    ['describe', 'Describe'],
    ['transfer', 'Import / export'],
  ];
  return (
    <section>
      <div class="row">
        <h1 data-testid="table-name">{name}</h1>
        <nav class="tabs" aria-label="Table pages">
          {tabs.map(([t, label]) => (
            <a
              key={t}
              href={`#/table/${enc(name)}/${t}`}
              aria-current={tab === t ? 'page' : undefined}
              data-testid={`tab-${t}`}
            >
              {label}
            </a>
          ))}
        </nav>
      </div>
      <ErrorLine error={error ?? keyError} testid="table-error" />
      {info && tab === 'items' && <Items table={info.table} />}
      {info && tab === 'describe' && <Describe info={info} />}
      {info && tab === 'transfer' && <Transfer name={name} />}
      {info && tab === 'new' && <Editor table={info.table} />}
      {info && tab === 'item' && itemKey && <Editor table={info.table} itemKey={itemKey} />}
    </section>
  );
}

function App() {
  const hash = useHash();
  const [target, setTarget] = useState<Target>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<Target>('GET', '/target').then(setTarget, (e) => setError(messageOf(e)));
  }, []);
  const { parts, query } = parseHash(hash);
  let page: preact.JSX.Element;
  // NOTE: #/tables/<name> is taken too: the API's paths say tables/, and people write links that way.
  if ((parts[0] === 'table' || parts[0] === 'tables') && parts[1])
    page = <TablePage name={parts[1]} tab={parts[2] ?? 'items'} query={query} />;
  else if (parts[0] === 'create') page = <CreateTable />;
  else if (parts[0] === 'partiql') page = <PartiQL />;
  else page = <Tables />;
  return (
    <TargetContext.Provider value={target}>
      {target && <Banner target={target} />}
      <header>
        <a class="brand" href="#/">
          ddbctl ui
        </a>
        <nav aria-label="Main">
          <a href="#/" data-testid="nav-tables" aria-current={parts.length === 0 ? 'page' : undefined}>
            Tables
          </a>
          {target?.features.partiql !== false && (
            <a
              href="#/partiql"
              data-testid="nav-partiql"
              aria-current={parts[0] === 'partiql' ? 'page' : undefined}
            >
              PartiQL
            </a>
          )}
        </nav>
      </header>
      <main>
        <ErrorLine
          error={error && `${error}. Open the address ddbctl ui printed (it carries the session's token).`}
          testid="app-error"
        />
        {page}
      </main>
      <ConfirmHost />
    </TargetContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
