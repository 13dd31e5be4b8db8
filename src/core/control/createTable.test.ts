import { describe, expect, it } from 'vitest';
import { refuseDeleting } from './createTable.js';

describe('refuseDeleting', () => {
  it('lets a table of any other status through, and refuses one DELETING with the way on', () => {
    for (const s of ['ACTIVE', 'CREATING', 'UPDATING', undefined] as const) {
      expect(() => refuseDeleting({ TableName: 'users', ...(s ? { TableStatus: s } : {}) })).not.toThrow();
    }
    expect(() => refuseDeleting({ TableName: 'users', TableStatus: 'DELETING' })).toThrow(
      expect.objectContaining({
        code: 'table.inUse',
        message:
          "table users is being deleted (DELETING): it can be neither reused nor created again until it is gone; run 'ddbctl wait users --for deleted', then this command again",
      }),
    );
  });
});
