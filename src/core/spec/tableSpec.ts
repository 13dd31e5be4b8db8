/**
 * Table specs: the desired state of DynamoDB tables, read from a YAML or JSON file and checked
 * against DynamoDB's limits before anything is sent.
 *
 * A spec file holds one of:
 *   1. ddbctl's own format: `tables: [...]`, a single table object, or a top-level list of tables;
 *   2. CreateTable input, as `aws dynamodb create-table --generate-cli-skeleton` prints it
 *      (`TableName`, `AttributeDefinitions`, `KeySchema`, ... `OnDemandThroughput`,
 *      `WarmThroughput`, `SSESpecification`, `ResourcePolicy`); the skeleton's placeholders left
 *      in ("" strings, 0 limits, list entries with an empty name) and GlobalTableSettingsReplicationMode
 *      without a source are ignored with a note; `GlobalTableSourceArn` and `VectorIndexes` are
 *      refused by name (specs do not manage them);
 *   3. `aws dynamodb describe-table` (or create-table) output: `{ "Table": {...} }` /
 *      `{ "TableDescription": {...} }`; read-only fields such as `TableStatus` are ignored;
 *      `ddbctl describe-table -o json` output also gives the tags, TTL and PITR.
 * Entries of `tables:` (or of a top-level list) may use any of the three forms.
 *
 * ddbctl's own format, every field shown (only `name` and `partitionKey` are required):
 *
 * ```yaml
 * tables:
 *   - name: users                     # 3–255 characters of a-z A-Z 0-9 _ . -
 *     partitionKey: username:S        # "name:TYPE" (S, N or B) or {name: username, type: S}
 *     sortKey: createdAt:N            # optional; same forms
 *     attributes:                     # optional: declare types once, then keys may be bare names
 *       email: S
 *     billing: {read: 10, write: 10}  # provisioned capacity, or "on-demand"
 *     gsis:                           # at most 20; [] = none
 *       - name: byEmail
 *         partitionKey: email         # typed by `attributes` above
 *         projection: ALL             # the default; KEYS_ONLY; or a list of attributes = INCLUDE
 *       - name: byCountry
 *         partitionKey: country:S
 *         sortKey: createdAt:N
 *         projection: [displayName, avatarUrl]   # same as {type: INCLUDE, attributes: [...]}
 *         throughput: {read: 5, write: 5}        # provisioned tables only; defaults to the table's
 *     lsis:                           # at most 5, fixed at creation; the partition key is the table's
 *       - name: byLastLogin
 *         sortKey: lastLogin:N
 *         projection: KEYS_ONLY
 *     tags:                           # at most 50; {} = none
 *       team: identity
 *       env: prod
 *     ttl: expiresAt                  # the TTL attribute; false turns TTL off
 *     pitr: true                      # point-in-time recovery
 *     stream: NEW_AND_OLD_IMAGES      # NEW_IMAGE | OLD_IMAGE | NEW_AND_OLD_IMAGES | KEYS_ONLY; false = off
 *     deletionProtection: true
 *     tableClass: STANDARD            # or STANDARD_INFREQUENT_ACCESS
 *     # onDemandThroughput: {maxRead: 100, maxWrite: 50}  # on-demand tables (and their GSIs) only; -1 = no limit
 *     warmThroughput: {read: 15000, write: 5000}         # table and GSIs; can only be raised
 *     sse: {kmsKey: alias/users}      # owned (default) | kms (AWS managed key) | {kmsKey: id, ARN or alias}
 *     resourcePolicy: {Version: "2012-10-17", Statement: []}   # or its JSON text; null removes it
 * ```
 *
 * Every field but `name` and the keys is managed only when present: leave one out and ddbctl
 * leaves that setting of a live table as it is (an absent `tags` keeps the table's tags; `tags: {}`
 * removes them all; likewise `gsis: []`). When a table is created, absent fields take DynamoDB's
 * defaults: on-demand billing, no indexes, no tags, no TTL, no PITR, no stream, STANDARD class.
 * A present `gsis` (or `lsis`, or `tags`) lists the whole desired set.
 * Enum values are case-insensitive and accept `-` for `_` (`on-demand`, `keys-only`, `new-image`).
 * Top-level keys starting with `x-` are ignored: a place for YAML anchors (`x-cap: &cap {read: 5, write: 5}`,
 * then `billing: *cap`). JSON input is YAML too, so JSON files get the same line numbers.
 *
 * Every problem is one DdbError('input.spec') whose message names the file, the field path and,
 * for YAML/JSON text, the line: `tables.yaml: tables[0].gsis[1].name: duplicate index name "byEmail" (line 14)`.
 *
 * The jobs live in tableSpec/, one file each: types.ts (TableSpec), fields.ts (limits, paths,
 * field readers), ownFormat.ts and awsFormat.ts (the two readers), validate.ts (the checks of
 * every spec), load.ts (files), live.ts (a live table as a spec), createInput.ts (the one
 * CreateTable input builder). This file is their public face: import from here.
 */

export {
  attributeDefinitionsInput,
  createTableInput,
  DEFAULT_BILLING,
  formatKey,
  gsiInput,
  gsiThroughput,
  keySchemaInput,
  onDemandInput,
  projectionInput,
  sseInput,
  warmInput,
} from './tableSpec/createInput.js';
export { formatPath } from './tableSpec/fields.js';
export { type LiveExtras, specFromDescription } from './tableSpec/live.js';
export { type ParseSpecOptions, parseSpecFile, readSpecFile } from './tableSpec/load.js';
export type {
  Billing,
  GsiSpec,
  KeyAttribute,
  KeyType,
  LsiSpec,
  OnDemandLimit,
  Projection,
  ProjectionType,
  SseSpec,
  StreamViewType,
  TableClass,
  TableSpec,
  Throughput,
  WarmThroughput,
} from './tableSpec/types.js';
export { checkTableSpec } from './tableSpec/validate.js';
