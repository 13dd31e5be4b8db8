/**
 * ConsumedCapacity of transactions: DynamoDB performs two underlying reads or writes of every item
 * in a transaction (prepare and commit), so each item's units, rounded up alone, count double.
 * One entry per table, in the order the tables first appear.
 */
import { Capacity, type CapacityMode } from '../ops/_common.js';

/** Transactional units per table. */
export class TransactCapacity {
  private readonly tables = new Map<string, Capacity>();

  /** The Capacity of `table`, to count single units into (doubled by `answer`). */
  of(table: string): Capacity {
    let c = this.tables.get(table);
    if (!c) {
      c = new Capacity();
      this.tables.set(table, c);
    }
    return c;
  }

  /** The ConsumedCapacity member (a list), or undefined for NONE. */
  answer(mode: CapacityMode): unknown[] | undefined {
    if (mode === 'NONE') return undefined;
    return [...this.tables].map(([name, c]) => {
      const twice = new Capacity();
      twice.table = 2 * c.table;
      for (const [ix, e] of c.indexes) twice.index(ix, e.kind, 2 * e.units);
      return twice.answer(name, mode);
    });
  }
}
