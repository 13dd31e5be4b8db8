/**
 * The item editor's form model: one row per attribute, its type one of the ten, nested maps and
 * lists as rows inside rows. Every value is kept as the text typed (numbers too), and turned into
 * DynamoDB JSON only by `fromForm`, which checks it.
 */
import {
  type AttributeValue,
  checkValue,
  type DdbItem,
  InputError,
  setOwn,
  type TypeName,
  typeOf,
} from './ddb.js';

export interface FormNode {
  type: TypeName;
  /** S, N, B: the text; BOOL: 'true' | 'false'. */
  text: string;
  /** SS, NS, BS: one text per member. */
  members: string[];
  /** M: named entries; L: entries whose names are unused. */
  children: FormEntry[];
}
export interface FormEntry {
  name: string;
  node: FormNode;
}

export function emptyNode(type: TypeName = 'S'): FormNode {
  return { type, text: type === 'BOOL' ? 'true' : '', members: [''], children: [] };
}

export function toForm(v: AttributeValue): FormNode {
  const node = emptyNode(typeOf(v));
  if ('S' in v) node.text = v.S;
  else if ('N' in v) node.text = v.N;
  else if ('B' in v) node.text = v.B;
  else if ('BOOL' in v) node.text = String(v.BOOL);
  else if ('SS' in v) node.members = [...v.SS];
  else if ('NS' in v) node.members = [...v.NS];
  else if ('BS' in v) node.members = [...v.BS];
  else if ('L' in v) node.children = v.L.map((x) => ({ name: '', node: toForm(x) }));
  else if ('M' in v) node.children = itemToForm(v.M);
  return node;
}

export function itemToForm(item: DdbItem): FormEntry[] {
  return Object.entries(item).map(([name, v]) => ({ name, node: toForm(v) }));
}

/** A node given another type: what can carry over does (text ↔ first member, entries). */
export function retype(node: FormNode, type: TypeName): FormNode {
  const next = { ...node, type };
  const isSet = (t: TypeName) => t === 'SS' || t === 'NS' || t === 'BS';
  if (isSet(type) && !isSet(node.type) && node.text !== '' && node.type !== 'BOOL')
    next.members = [node.text];
  if (!isSet(type) && isSet(node.type) && node.members[0]) next.text = node.members[0];
  if (type === 'BOOL' && next.text !== 'true' && next.text !== 'false') next.text = 'true';
  if (node.type === 'BOOL' && type !== 'BOOL') next.text = '';
  return next;
}

export function fromForm(node: FormNode, where: string): AttributeValue {
  switch (node.type) {
    case 'S':
      return { S: node.text };
    case 'N':
      return checkValue({ N: node.text.trim() }, where);
    case 'B':
      return checkValue({ B: node.text.trim() }, where);
    case 'BOOL':
      return { BOOL: node.text === 'true' };
    case 'NULL':
      return { NULL: true };
    case 'SS':
      return checkValue({ SS: node.members }, where);
    case 'NS':
      return checkValue({ NS: node.members.map((m) => m.trim()) }, where);
    case 'BS':
      return checkValue({ BS: node.members.map((m) => m.trim()) }, where);
    case 'L':
      return { L: node.children.map((c, i) => fromForm(c.node, `${where}[${i}]`)) };
    case 'M':
      return { M: formToItem(node.children, where) };
  }
}

export function formToItem(entries: FormEntry[], where = ''): DdbItem {
  const out: DdbItem = {};
  entries.forEach((e, i) => {
    const here = where === '' ? e.name || `#${i + 1}` : `${where}.${e.name || `#${i + 1}`}`;
    if (e.name === '') throw new InputError(here, 'an attribute needs a name');
    if (Object.hasOwn(out, e.name)) throw new InputError(here, `the name "${e.name}" is used twice`);
    setOwn(out, e.name, fromForm(e.node, here));
  });
  return out;
}
