/** The syntax tree the parser builds and the emitter walks; `start` is a 0-based index for messages. */
import type { ItemValue } from '../codec.js';

export type Segment =
  | { kind: 'name'; name: string; start: number }
  | { kind: 'index'; index: number; start: number }
  | { kind: 'placeholder'; placeholder: string; start: number };

export interface Path {
  segments: Segment[];
  start: number;
}

export type Operand =
  | { kind: 'path'; path: Path; start: number }
  | { kind: 'value'; value: ItemValue; start: number }
  | { kind: 'raw'; placeholder: string; start: number }
  | { kind: 'size'; path: Path; start: number };

export type UpdateOperand =
  | Operand
  | { kind: 'if_not_exists'; path: Path; fallback: UpdateOperand; start: number }
  | { kind: 'list_append'; first: UpdateOperand; second: UpdateOperand; start: number };

export type UpdateValue =
  | UpdateOperand
  | { kind: 'arith'; op: '+' | '-'; left: UpdateOperand; right: UpdateOperand; start: number };

export type Condition =
  | { kind: 'compare'; op: string; left: Operand; right: Operand; start: number; opStart: number }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand; start: number }
  | { kind: 'in'; subject: Operand; list: Operand[]; start: number }
  | { kind: 'function'; name: string; args: Operand[]; start: number }
  | { kind: 'and' | 'or'; left: Condition; right: Condition; start: number }
  | { kind: 'not'; operand: Condition; start: number };
