/**
 * Expression compiler: readable condition, filter, key-condition, projection and update text in,
 * DynamoDB expression strings out — safe by construction.
 *
 * Every attribute name becomes a generated `#nN` placeholder and every value a generated `:vN`
 * placeholder, so no user text is ever spliced into expression text and reserved words (name,
 * status, data, size, ...) just work. The only user text that passes through is the user's own raw
 * placeholders (`#x`, `:x`), and only when they are defined (see `Placeholders.addRaw`).
 *
 * Syntax, in short (keywords and function names are case-insensitive):
 *   path       name.other[0].`name with spaces.or-dots`   (unquoted names: [A-Za-z_][A-Za-z0-9_]*,
 *              anything else between backticks; `\`` and `\\` escape inside them; no spaces in a path)
 *   value      'text' or "text" (backslash escapes), 12.5 (kept exact), true, false, null,
 *              [list], {"map": 1}, {"$set": ["a"]}, {"$binary": "AAE="}, {"$map": {"$set": 1}} (a map
 *              whose only key is a tag's name), or a raw :placeholder
 *   condition  a = b, <>, <, <=, >, >=, a BETWEEN x AND y, a IN (x, y), attribute_exists(p),
 *              attribute_not_exists(p), attribute_type(p, 'S'), begins_with(p, 'x'),
 *              contains(p, v), size(p) as an operand; NOT > AND > OR; parentheses
 *   update     set: `p = v`, `p = v + v`, `p = v - v`, `if_not_exists(p, v)`, `list_append(v, v)`;
 *              add / delete: `p v` or `p = v`; remove: `p`; append / setIfNotExists: `p = v`;
 *              several actions of one kind may share an entry, separated by commas
 *
 * Errors are `DdbError('input.expression')` with a one-line message naming the expression, the
 * 1-based column and what was expected.
 *
 * The folder, by job: source.ts (the text and its errors), scanner.ts (tokens), ast.ts (the syntax
 * tree), parser.ts (paths, values, operands), condition.ts, keyCondition.ts, projection.ts and
 * update.ts (one expression kind each: its grammar and its compile function), emitter.ts (tree →
 * text with placeholders), placeholders.ts (#nN / :vN and the caller's raw ones), paths.ts
 * (parsePath, overlap checks), build.ts (all the expressions of one request). This file is the
 * public surface.
 */
export { buildExpressions } from './build.js';
export { compileCondition } from './condition.js';
export { compileKeyCondition } from './keyCondition.js';
export { parsePath } from './paths.js';
export { Placeholders } from './placeholders.js';
export { compileProjection } from './projection.js';
export { readStringLiteral } from './scanner.js';
export type {
  BuildExpressionsOptions,
  BuiltExpressions,
  CompiledExpression,
  PathSegment,
  UpdateActions,
} from './types.js';
export { compileUpdate } from './update.js';
