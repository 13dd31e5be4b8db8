/**
 * PartiQL statements as DynamoDB takes them, parsed (parser.ts) and not yet bound to a table or to
 * the request's Parameters. Every node keeps where it starts (`at`: DynamoDB's `line:column:length`
 * of its token), which some of DynamoDB's messages name.
 */

/** A token's place: line and column from 1, and its length. */
export interface Pos {
  line: number;
  col: number;
  len: number;
}

/** A value written in the statement, or `?` (the next of the request's Parameters). */
export type Literal =
  | { t: 'str'; v: string; at: Pos }
  | { t: 'num'; v: string; at: Pos }
  | { t: 'bool'; v: boolean; at: Pos }
  | { t: 'null'; at: Pos }
  | { t: 'missing'; at: Pos }
  /** An Ion literal (between backticks), by its Ion type: DynamoDB takes none. */
  | { t: 'ion'; type: string; at: Pos }
  | { t: 'param'; i: number; at: Pos }
  | { t: 'list'; items: Literal[]; at: Pos }
  | { t: 'bag'; items: Literal[]; at: Pos }
  | { t: 'map'; entries: { key: string; at: Pos; value: Literal }[]; at: Pos };

/** An attribute path: `a.b[1]` is ['a', 'b', 1]. */
export interface Path {
  t: 'path';
  parts: (string | number)[];
  at: Pos;
}

/** What a comparison, a function or a SET compares or computes. */
export type Operand =
  | Literal
  | Path
  | { t: 'call'; name: string; args: Operand[]; at: Pos }
  | { t: 'arith'; op: '+' | '-'; l: Operand; r: Operand; at: Pos };

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Cond =
  | { t: 'and' | 'or'; l: Cond; r: Cond }
  | { t: 'not'; c: Cond }
  | { t: 'cmp'; op: CompareOp; l: Operand; r: Operand }
  | { t: 'between'; x: Operand; lo: Operand; hi: Operand }
  | { t: 'in'; x: Operand; items: Operand[] }
  | { t: 'is'; x: Operand; not: boolean; what: 'MISSING' | 'NULL' }
  | { t: 'fn'; call: Operand & { t: 'call' } };

export interface Source {
  table: string;
  index?: string;
}

export type Statement =
  | {
      kind: 'select';
      from: Source;
      /** undefined: `*`. */
      projection?: Path[];
      where?: Cond;
      order?: { path: Path; desc: boolean };
    }
  | { kind: 'insert'; from: Source; value: Literal }
  | {
      kind: 'update';
      from: Source;
      sets: { path: Path; value: Operand }[];
      removes: Path[];
      where?: Cond;
      returning?: Returning;
    }
  | { kind: 'delete'; from: Source; where?: Cond; returning?: Returning }
  /** `EXISTS(SELECT ...)`: a condition check, in ExecuteTransaction only. */
  | { kind: 'exists'; select: Statement & { kind: 'select' } };

/** RETURNING ALL|MODIFIED OLD|NEW *, and where it was written (DynamoDB's message quotes it). */
export interface Returning {
  which: 'ALL' | 'MODIFIED';
  when: 'OLD' | 'NEW';
}

/** A statement and how many `?` it holds. */
export interface Parsed {
  statement: Statement;
  params: number;
}
