/** POST /api/partiql: one page of a PartiQL statement, through the library's ExecuteStatement. */
import { executeStatementPage } from '../../../core/data/partiql.js';
import { itemOut, valueIn } from '../ddbJson.js';
import { readJson, UiError } from '../http.js';
import type { ApiContext, Route } from './context.js';

/**
 * Whether a statement only reads. NOTE: a PartiQL statement is one of SELECT, INSERT, UPDATE,
 * DELETE (ExecuteStatement runs exactly one); leading comments and parentheses are skipped.
 */
export function isSelect(statement: string): boolean {
  const text = statement.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*/, '');
  return /^select\b/i.test(text);
}

async function partiql(ctx: ApiContext) {
  const b = await readJson(ctx.req);
  if (typeof b.statement !== 'string') {
    throw new UiError(400, 'input.expression', 'statement: expected the PartiQL statement as text');
  }
  if (ctx.readOnly && !isSelect(b.statement)) {
    throw new UiError(
      403,
      'ui.readOnly',
      'refused: this UI is read-only on AWS: only SELECT runs; start it with --allow-writes to change data',
    );
  }
  if (b.parameters !== undefined && !Array.isArray(b.parameters)) {
    throw new UiError(400, 'input.json', 'parameters: expected a list of attribute values ({"S": "a"})');
  }
  if (b.nextToken !== undefined && typeof b.nextToken !== 'string') {
    throw new UiError(400, 'input.json', 'nextToken: expected the text of the previous answer');
  }
  const params = (b.parameters ?? []).map((v, i) => valueIn(v, `parameter ${i + 1}`));
  const page = await executeStatementPage(ctx.clients, b.statement, { params }, b.nextToken);
  return { items: page.items.map(itemOut), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export const partiqlRoutes: Route[] = [
  { method: 'POST', path: '/api/partiql', write: false, handler: partiql },
];
