import { describe, expect, it } from 'vitest';
import { hintsOn } from './commandLine.js';

describe('hintsOn: a suggested command runs where its command ran', () => {
  it('carries the target flags the user gave into every quoted ddbctl command, quoted for the shell', () => {
    const m = "lift it first with 'ddbctl update-table Prot --no-deletion-protection', or 'ddbctl apply'";
    expect(hintsOn(m, { endpointUrl: 'http://127.0.0.1:8000' })).toBe(
      "lift it first with 'ddbctl --endpoint-url http://127.0.0.1:8000 update-table Prot --no-deletion-protection', or 'ddbctl --endpoint-url http://127.0.0.1:8000 apply'",
    );
    expect(hintsOn("'ddbctl list-tables'", { dataDir: '/tmp/my dir', region: 'eu-west-1' })).toBe(
      "'ddbctl --region eu-west-1 --data-dir '/tmp/my dir' list-tables'",
    );
  });

  it('leaves messages alone without target flags, and pointers to --help always', () => {
    expect(hintsOn("'ddbctl list-tables'", {})).toBe("'ddbctl list-tables'");
    expect(hintsOn("(see 'ddbctl update-table --help')", { local: true })).toBe(
      "(see 'ddbctl update-table --help')",
    );
  });
});
