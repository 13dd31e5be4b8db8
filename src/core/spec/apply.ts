/**
 * Apply: read the live table, plan against what the endpoint can do, then execute the plan step
 * by step, waiting between steps as DynamoDB requires. The I/O half of "plan, then apply";
 * `planTable` (plan.ts) is the pure half.
 *
 * NOTE: over 500 lines, one file, one job: carrying out a plan. The executor of every PlanStep kind
 * (one switch over the step union) and the copy-and-swap replacement with its copy back (replace,
 * checkResume, resume: about 150 lines) use the same Applier: its createTable and deleteTable with
 * their waits, settle, its events and its result. Apart, the replacement would take all of them
 * as parameters and hand the result back; what to read for a stopped replacement is here in one place.
 *
 * A replacement (key schema or LSI change) is a copy-and-swap that keeps the table's name and
 * every item:
 *   1. create `<table>-ddbctl-swap` with the new key schema (on-demand, no indexes);
 *   2. copy every item into it, and count it: a missing or merged item stops here, nothing changed;
 *   3. delete the table (the point of no return: from here every item is in the swap table);
 *   4. create the table again from the spec, wait for it and its indexes;
 *   5. copy every item back and count again;
 *   6. delete the swap table.
 * A failure after step 3 leaves the items in the swap table and says so; running the same apply
 * again finishes the job (it finds the swap table and copies the items back).
 *
 * After the last step, the table is read again and planned again: a step the endpoint accepted
 * but did not make (some engines ignore settings silently) is reported, never passed over.
 *
 * The read-and-plan half (`prepareTable`, and what the commands ask of a prepared plan) is in
 * prepare.ts, re-exported here.
 */
import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { sendCreateTable } from '../control/createTable.js';
import { deleteResourcePolicy } from '../control/deleteResourcePolicy.js';
import { deleteTable } from '../control/deleteTable.js';
import { findTable } from '../control/describeTable.js';
import { putResourcePolicy } from '../control/putResourcePolicy.js';
import { tagResource } from '../control/tagResource.js';
import { untagResource } from '../control/untagResource.js';
import { updateContinuousBackups } from '../control/updateContinuousBackups.js';
import { updateTable } from '../control/updateTable.js';
import { updateTimeToLive } from '../control/updateTimeToLive.js';
import { type IndexProgress, waitForIndexes } from '../control/waitForIndexes.js';
import { stoppedWaiting, waitForTable } from '../control/waitForTable.js';
import { waitForTtl } from '../control/waitForTtl.js';
import type { KeySchema } from '../data/keySchema.js';
import { keySchemaOf, sameKeySchema } from '../data/tableKeys.js';
import { DdbError, type DdbErrorCode } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import { type CopyItemsOptions, copyItems, exactCount } from '../transfer/copyItems.js';
import { type Clock, systemClock } from '../util/clock.js';
import { count } from '../util/plural.js';
import { ensureTags } from './ensureTags.js';
import { keptFromLive } from './plan/create.js';
import { type PlanStep, planTable } from './plan.js';
import { type PreparedPlan, replacementSteps, specKeySchema, swapTableName } from './prepare.js';
import { createTableInput } from './tableSpec.js';
import { liveTableOf, readTableState } from './tableState.js';

export {
  existingTableDifferences,
  isNoop,
  type PreparedPlan,
  type PrepareOptions,
  prepareSpecs,
  prepareTable,
  replacementSteps,
  stepJson,
  swapTableName,
  unmatchedError,
} from './prepare.js';

export type ApplyEvent =
  /** A step starts: `index` counts from 1. */
  | { type: 'step'; table: string; index: number; total: number; step: PlanStep }
  | { type: 'stepDone'; table: string; index: number; total: number; step: PlanStep; seconds: number }
  /** Waiting for the table and its indexes (after each DescribeTable). */
  | { type: 'wait'; progress: IndexProgress }
  /** Items copied so far during a replacement (or a resume). */
  | { type: 'copy'; from: string; to: string; read: number; written: number }
  /** Something worth telling a person: a phase of a replacement, tags re-applied, … */
  | { type: 'note'; table: string; message: string };

export interface ApplyOptions {
  /** Carry out steps labelled REPLACEMENT. Default false: such a plan is refused before any change. */
  allowReplace?: boolean;
  /** Seconds to wait for the table (and its indexes) after each step. Default 600. */
  timeoutSeconds?: number;
  /** Wait after the last step as well. Default true; false returns once the last call is accepted. */
  waitAfterLast?: boolean;
  /** Re-read and re-plan afterwards to check that every step took effect. Default true (implies waiting). */
  verify?: boolean;
  onEvent?: (e: ApplyEvent) => void;
  /** Options of the item copies of a replacement. */
  copy?: Omit<CopyItemsOptions, 'onProgress'>;
  clock?: Clock;
  signal?: AbortSignal;
  /** What the run is called in its error messages, before the table's name. Default 'apply'. */
  name?: string;
}

/** What a replacement did. */
export interface SwapReport {
  swapTable: string;
  /** Items in the table before, in the swap table, and in the new table. */
  itemsBefore: number;
  itemsCopied: number;
  itemsAfter: number;
}

export interface ApplyResult {
  table: string;
  /** The steps carried out, in order. */
  applied: PlanStep[];
  /** Steps the endpoint cannot do: reported by the plan, not attempted. */
  unsupported: PlanStep[];
  replacement?: SwapReport;
  /** Items copied back from the swap table of an interrupted replacement. */
  resumed?: { swapTable: string; items: number };
  /** Tags CreateTable ignored that were applied with TagResource afterwards. */
  tagsReapplied?: string[];
}

/** The minimal table that holds items of `schema`: same keys, on-demand, nothing else. */
function swapTableInput(schema: KeySchema, name: string): CreateTableCommandInput {
  return createTableInput({
    name,
    partitionKey: schema.partitionKey,
    ...(schema.sortKey ? { sortKey: schema.sortKey } : {}),
    billing: { mode: 'PAY_PER_REQUEST' },
  });
}

/** Carries out one prepared plan. */
class Applier {
  private readonly table: string;
  private readonly clock: Clock;
  private readonly timeout: number;
  readonly result: ApplyResult;
  /** The current step's call was accepted by the endpoint (what is left of it is waiting). */
  accepted = false;

  constructor(
    private readonly clients: Clients,
    private readonly prepared: PreparedPlan,
    private readonly opts: ApplyOptions,
  ) {
    this.table = prepared.plan.table;
    this.clock = opts.clock ?? systemClock;
    this.timeout = opts.timeoutSeconds ?? 600;
    this.result = { table: this.table, applied: [], unsupported: prepared.plan.unsupported };
  }

  private emit(e: ApplyEvent): void {
    this.opts.onEvent?.(e);
  }

  private note(message: string): void {
    this.emit({ type: 'note', table: this.table, message });
  }

  private ctx(operation: string, table = this.table) {
    return { operation, table, target: this.clients.label };
  }

  /** Wait until `table` and its GSIs are ACTIVE (and `present` / `absent` GSIs are so). */
  async settle(
    table = this.table,
    extra: { present?: string[]; absent?: string[] } = {},
  ): Promise<TableDescription> {
    const w = await waitForIndexes(this.clients, table, {
      ...extra,
      timeoutSeconds: this.timeout,
      clock: this.clock,
      onProgress: (progress) => this.emit({ type: 'wait', progress }),
      ...(this.opts.signal ? { signal: this.opts.signal } : {}),
    });
    return w.table;
  }

  private async arnOf(table = this.table): Promise<string> {
    const d = await findTable(this.clients, table);
    if (!d?.TableArn) {
      throw new DdbError('table.notFound', { message: `table ${table} has no ARN (it does not exist?)` });
    }
    return d.TableArn;
  }

  private async createTable(input: CreateTableCommandInput, wait = true): Promise<void> {
    const name = input.TableName ?? this.table;
    await sendCreateTable(this.clients, input);
    this.accepted = true;
    if (!wait) {
      if (input.Tags?.length) this.note('not waiting for the table: its tags are not read back');
      return;
    }
    await waitForTable(this.clients, name, {
      for: 'active',
      timeoutSeconds: this.timeout,
      clock: this.clock,
      ...(this.opts.signal ? { signal: this.opts.signal } : {}),
    });
    await this.settle(name);
    // NOTE: dynalite accepts Tags in CreateTable and drops them: read them back, apply what is missing.
    if (input.Tags?.length && this.prepared.caps.tags) {
      const wanted = Object.fromEntries(input.Tags.map((t) => [t.Key ?? '', t.Value ?? '']));
      const r = await ensureTags(this.clients, await this.arnOf(name), wanted);
      if (r.supported && r.added.length > 0) {
        this.result.tagsReapplied = r.added;
        this.note(`CreateTable ignored the tags: applied ${r.added.join(', ')} with TagResource`);
      }
    }
  }

  private async deleteTable(name: string): Promise<void> {
    await deleteTable(this.clients, name, {
      waitOptions: {
        timeoutSeconds: this.timeout,
        clock: this.clock,
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
      },
    });
  }

  private async copy(from: string, to: string, schema: KeySchema): Promise<{ read: number; count: number }> {
    const r = await copyItems(
      { clients: this.clients, table: from },
      { clients: this.clients, table: to },
      {
        ...this.opts.copy,
        schema,
        ...(this.opts.clock ? { clock: this.opts.clock } : {}),
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
        onProgress: (p) => this.emit({ type: 'copy', from, to, ...p }),
      },
    );
    if (r.failed.length > 0) {
      const first = r.failed[0];
      throw new DdbError(first?.code ?? 'batch.incomplete', {
        message: `${r.failed.length} of ${r.read} items could not be written to ${to} (first: ${first?.reason})`,
        details: { failed: r.failed },
      });
    }
    const count = await exactCount({ clients: this.clients, table: to });
    if (count !== r.read || r.duplicates > 0) {
      const merged = r.read - count;
      throw new DdbError('item.verifyFailed', {
        message: `${r.read} items read from ${from} but ${count} in ${to}: under the new key schema ${merged > 0 ? `${merged} of them share a key with another item and would merge` : 'some items would merge'}`,
      });
    }
    return { read: r.read, count };
  }

  /**
   * A phase of a replacement begins: said, then started unless the run was stopped (Ctrl-C), which
   * throws: nothing more is started after a stop, whether or not the call in flight at the stop saw
   * it (an engine that answers at once does not).
   */
  private begin(message: string): void {
    this.note(message);
    const signal = this.opts.signal;
    if (signal?.aborted) throw stoppedWaiting(signal, `table ${this.table}`);
  }

  /** Copy-and-swap (see the top of this file). Throws a message saying where every item is. */
  async replace(step: { input: CreateTableCommandInput }): Promise<void> {
    const name = this.table;
    const swap = swapTableName(name);
    const input = step.input;
    const schema = keySchemaOf(input);
    const live = this.prepared.live;
    if (live?.spec.deletionProtection) {
      throw new DdbError('table.deletionProtected', {
        message: `table ${name} has deletion protection, so it cannot be replaced; lift it with 'ddbctl update-table ${name} --no-deletion-protection', then apply again`,
      });
    }
    const before = await exactCount({ clients: this.clients, table: name });
    if (await findTable(this.clients, swap)) {
      // NOTE: the table still has the key schema this step replaces, so it was never deleted: a
      // swap table left by an interrupted replacement is a copy of it (one re-created table holds
      // its items: prepareTable then plans the copy back instead of a replacement).
      throw new DdbError('table.exists', {
        message: `table ${swap} already exists, most likely left by an interrupted replacement; table ${name} is not replaced yet (its keys and LSIs are the earlier ones) and holds its ${count(before)} items, so deleting ${swap} loses nothing of ${name} (check it first if it may be another table: 'ddbctl delete-table ${swap}'); then apply again`,
      });
    }
    let phase: 'prepare' | 'deleting' | 'swapped' | 'recreated' | 'copied' = 'prepare';
    let copied = 0;
    try {
      this.begin(
        `creating swap table ${swap} (${schema.partitionKey.name}${schema.sortKey ? `, ${schema.sortKey.name}` : ''})`,
      );
      await this.createTable(swapTableInput(schema, swap));
      this.begin(`copying ${count(before)} items ${name} → ${swap}`);
      const first = await this.copy(name, swap, { ...schema, table: swap });
      copied = first.count;
      this.begin(`deleting table ${name} (all ${count(first.count)} items are in ${swap})`);
      // NOTE: from the DeleteTable request on, the table may be gone: the swap table is never dropped.
      phase = 'deleting';
      await this.deleteTable(name);
      phase = 'swapped';
      this.begin(`creating table ${name} with the new key schema`);
      await this.createTable(input);
      phase = 'recreated';
      this.begin(`copying ${count(first.count)} items ${swap} → ${name}`);
      const back = await this.copy(swap, name, schema);
      phase = 'copied';
      this.begin(`deleting swap table ${swap}`);
      await this.deleteTable(swap);
      this.result.replacement = {
        swapTable: swap,
        itemsBefore: before,
        itemsCopied: first.count,
        itemsAfter: back.count,
      };
    } catch (e) {
      const err = toDdbError(e, this.ctx('replace'));
      let where: string;
      if (phase === 'prepare') {
        // Nothing is lost: the table is untouched. Drop the partial swap table.
        // NOTE: after a stop its DeleteTable may be carried out and its wait cut short: looked up
        // again (undefined: not known) before the message says what is left.
        let left: boolean | undefined = false;
        try {
          if (await findTable(this.clients, swap)) await this.deleteTable(swap);
        } catch {
          left = await findTable(this.clients, swap).then(
            (d) => d !== undefined && d.TableStatus !== 'DELETING',
            () => undefined,
          );
        }
        const partial =
          left === false
            ? ''
            : left
              ? `; delete the partial copy ${swap} ('ddbctl delete-table ${swap}')`
              : `; the partial copy ${swap} may be left: if 'ddbctl list-tables' shows it, delete it ('ddbctl delete-table ${swap}')`;
        where = `table ${name} is unchanged with its ${count(before)} items${partial}`;
      } else if (phase === 'deleting') {
        where = `table ${name} may have been deleted (the stop came before the end of its DeleteTable); all ${count(copied)} items are in ${swap}, counted; run the same apply again to finish: if ${name} is gone it creates it and copies the items back, and if it still stands with its earlier key schema ${swap} is a whole copy of it, which it asks you to delete first`;
      } else {
        where =
          phase === 'copied'
            ? `table ${name} was created again and holds every item (${count(copied)}, counted); the swap table ${swap} may be left: delete it ('ddbctl delete-table ${swap}')`
            : `table ${name} was deleted${phase === 'recreated' ? ' and created again with the new key schema' : ', and may already be created again, empty'}; every item is safe in ${swap}; run the same apply again to finish (it copies the items back from ${swap} and deletes it)`;
      }
      // The run that finishes knows only the spec: what the table kept from before is named here.
      if (phase !== 'prepare' && phase !== 'copied' && live) {
        const kept = keptFromLive(live.spec, this.prepared.desired);
        const lost = [...(phase === 'recreated' ? [] : kept.created), ...kept.later];
        if (lost.length > 0) {
          where += `; that run knows only the spec, which leaves out what ${name} had and this replacement was keeping: ${lost.join(', ')}; add ${lost.length === 1 ? 'it' : 'them'} to the spec before running it again (the swap table does not have ${lost.length === 1 ? 'it' : 'them'})`;
        }
      }
      // NOTE: requests were sent by now (the count, the swap table): an item the copy refused
      // (a key of another type) is the copy's failure, not a usage error (exit code 1, not 2).
      throw new DdbError(err.isUsage ? 'batch.incomplete' : err.code, {
        message: `replacing table ${name} failed: ${err.message}; ${where}`,
        cause: e,
        details: { swapTable: swap, phase },
      });
    }
  }

  /**
   * Before anything runs: the swap table an interrupted replacement left must hold items of the
   * key schema the table is about to be created with. Returns that schema.
   */
  async checkResume(from: string): Promise<KeySchema> {
    const created = this.prepared.plan.steps.find((s) => s.kind === 'create');
    const live = this.prepared.live?.spec;
    const d = await findTable(this.clients, from);
    if (!d || (!live && created?.kind !== 'create')) {
      throw new DdbError('table.notFound', { message: `table ${from} to copy the items back from is gone` });
    }
    // The table as it will be (created now), or as it stands (re-created by the replacement).
    const schema = created?.kind === 'create' ? keySchemaOf(created.input) : specKeySchema(live!);
    if (!sameKeySchema(schema, keySchemaOf(d))) {
      throw new DdbError('item.verifyFailed', {
        message: `table ${from} (left by an interrupted replacement) has another key schema than the spec of ${this.table}; nothing was changed: copy its items yourself, or fix the spec`,
      });
    }
    return schema;
  }

  /** After an interrupted replacement: copy the swap table's items into the new table, drop it. */
  async resume(from: string, schema: KeySchema): Promise<void> {
    const name = this.table;
    try {
      this.begin(`copying the items kept in ${from} back into ${name}`);
      const r = await this.copy(from, name, schema);
      this.begin(`deleting swap table ${from}`);
      await this.deleteTable(from);
      this.result.resumed = { swapTable: from, items: r.count };
    } catch (e) {
      const err = toDdbError(e, this.ctx('replace'));
      throw new DdbError(err.code, {
        message: `copying the items back from ${from} into ${name} failed: ${err.message}; every item is still in ${from}: run the same apply again to finish`,
        cause: e,
        details: { swapTable: from, resume: true },
      });
    }
  }

  /** Send one step; for GSI changes, check the endpoint really started them. */
  async send(step: PlanStep, settle: boolean): Promise<void> {
    switch (step.kind) {
      case 'create':
        await this.createTable(step.input, settle);
        return;
      case 'replace':
        await this.replace(step);
        return;
      case 'deleteGsi':
      case 'createGsi':
      case 'tableClass':
      case 'update': {
        await this.settle();
        const out = await updateTable(this.clients, step.input, this.table);
        this.accepted = true;
        const update = step.input.GlobalSecondaryIndexUpdates?.[0];
        const index = update?.Create?.IndexName ?? update?.Delete?.IndexName;
        if ((step.kind === 'createGsi' || step.kind === 'deleteGsi') && index) {
          await this.checkGsiStarted(step.kind, index, out.TableDescription);
        }
        return;
      }
      case 'ttl':
        // NOTE: a change during the previous one (a new attribute: disable, enable) is refused.
        await waitForTtl(this.clients, this.table, { ...this.opts, timeoutSeconds: this.timeout });
        await updateTimeToLive(this.clients, step.input, this.table);
        return;
      case 'pitr':
        await updateContinuousBackups(this.clients, step.input, this.table);
        return;
      case 'tagAdd': {
        const arn = await this.arnOf();
        await tagResource(this.clients, { ...step.input, ResourceArn: arn }, this.table);
        return;
      }
      case 'tagRemove': {
        const arn = await this.arnOf();
        await untagResource(this.clients, { ...step.input, ResourceArn: arn }, this.table);
        return;
      }
      case 'policyPut': {
        const arn = await this.arnOf();
        await putResourcePolicy(this.clients, { ...step.input, ResourceArn: arn }, this.table);
        return;
      }
      case 'policyDelete': {
        const arn = await this.arnOf();
        await deleteResourcePolicy(this.clients, { ...step.input, ResourceArn: arn }, this.table);
        return;
      }
    }
  }

  /**
   * NOTE: an engine may accept a GSI create/delete and ignore it (dynalite does). Amazon DynamoDB
   * answers with the index CREATING / DELETING; look once more with DescribeTable before failing.
   */
  private async checkGsiStarted(
    kind: 'createGsi' | 'deleteGsi',
    index: string,
    answer?: TableDescription,
  ): Promise<void> {
    const started = (d: TableDescription | undefined) => {
      const g = d?.GlobalSecondaryIndexes?.find((x) => x.IndexName === index);
      return kind === 'createGsi' ? g !== undefined : g === undefined || g.IndexStatus === 'DELETING';
    };
    if (started(answer) || started(await findTable(this.clients, this.table))) return;
    throw new DdbError('engine.unsupported', {
      message: `${this.clients.label} accepted the UpdateTable that ${kind === 'createGsi' ? 'creates' : 'deletes'} GSI ${index} of ${this.table} but did not ${kind === 'createGsi' ? 'create' : 'delete'} it: this endpoint does not support GSI changes`,
    });
  }

  async waitAfter(step: PlanStep): Promise<void> {
    // create and replace wait inside; ttl, pitr and tags leave the table ACTIVE.
    if (
      step.kind !== 'deleteGsi' &&
      step.kind !== 'createGsi' &&
      step.kind !== 'tableClass' &&
      step.kind !== 'update'
    ) {
      return;
    }
    const update = step.input.GlobalSecondaryIndexUpdates?.[0];
    if (step.kind === 'createGsi' && update?.Create?.IndexName) {
      await this.settle(this.table, { present: [update.Create.IndexName] });
    } else if (step.kind === 'deleteGsi' && update?.Delete?.IndexName) {
      await this.settle(this.table, { absent: [update.Delete.IndexName] });
    } else {
      await this.settle();
    }
  }
}

function describeDone(steps: readonly PlanStep[]): string {
  if (steps.length === 0) return 'nothing was changed';
  return `done before it: ${steps.map((s, i) => `${i + 1}. ${s.description}`).join('; ')}`;
}

/**
 * Carry out a prepared plan: each step in order, waiting for the table (and, after a GSI is
 * created, for its backfill) between steps; then check the result. A plan with REPLACEMENT steps
 * is refused unless `allowReplace`. A failing step stops the run with an error that says which
 * steps were done, which failed, and for a replacement where the items are.
 */
export async function applyPlan(
  clients: Clients,
  prepared: PreparedPlan,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  const { plan } = prepared;
  const replacing = replacementSteps(plan);
  if (replacing.length > 0 && !opts.allowReplace) {
    throw new DdbError('spec.replacementRefused', {
      message: `the plan for table ${plan.table} replaces something (${replacing.map((s) => s.description.split(' — ')[0]).join('; ')}); pass --allow-replace to do it (allowReplace), or change the spec`,
    });
  }
  const applier = new Applier(clients, prepared, opts);
  const resumeSchema = prepared.resumeFrom ? await applier.checkResume(prepared.resumeFrom.table) : undefined;
  if (prepared.resumeFrom && resumeSchema && prepared.live) {
    // The table stands, created again by an interrupted replacement: its items first, then the steps.
    try {
      await applier.settle();
      await applier.resume(prepared.resumeFrom.table, resumeSchema);
    } catch (e) {
      const err = toDdbError(e, { operation: 'replace', table: plan.table, target: clients.label });
      throw new DdbError(err.code, {
        message: `${opts.name ?? 'apply'} ${plan.table} stopped before its steps: ${err.message}`,
        cause: e,
        details: { table: plan.table, applied: [], remaining: plan.steps },
      });
    }
  }
  const clock = opts.clock ?? systemClock;
  const total = plan.steps.length;
  const waitAfterLast = opts.waitAfterLast ?? true;
  for (const [i, step] of plan.steps.entries()) {
    const index = i + 1;
    opts.onEvent?.({ type: 'step', table: plan.table, index, total, step });
    const started = clock.now();
    applier.accepted = false;
    try {
      const settle = index < total || waitAfterLast || prepared.resumeFrom !== undefined;
      await applier.send(step, settle);
      applier.accepted = true;
      if (settle) await applier.waitAfter(step);
      if (step.kind === 'create' && prepared.resumeFrom && resumeSchema) {
        await applier.resume(prepared.resumeFrom.table, resumeSchema);
      }
    } catch (e) {
      const err = toDdbError(e, { operation: step.kind, table: plan.table, target: clients.label });
      const code: DdbErrorCode = err.code;
      const rest = plan.steps.slice(index);
      // NOTE: a step accepted by the endpoint goes on there (a table or index being built) when
      // only the wait for it stops (Ctrl-C, a timeout): say so, and how to see its end.
      // A replacement, or the copy back after a create, runs here, not at the endpoint: its own
      // message says where the items are.
      const goesOn =
        applier.accepted &&
        step.kind !== 'replace' &&
        err.details?.resume !== true &&
        (code === 'operation.aborted' || code === 'table.waitTimeout');
      // NOTE: a request of the step aborted in flight (Ctrl-C before its answer: toDdbError) may
      // have been carried out all the same: the endpoint had it.
      const unanswered = !goesOn && err.details?.unanswered === true;
      const at = goesOn
        ? `: step ${index} of ${total} (${step.description}) was accepted and goes on at the endpoint, but waiting for it stopped: ${err.message}; wait for it with 'ddbctl wait ${plan.table} --for indexes'`
        : unanswered
          ? `: step ${index} of ${total} (${step.description}) was sent and its outcome is not known (${typeof err.details?.sent === 'string' ? err.details.sent : err.message}): it may have been carried out; see with 'ddbctl describe-table ${plan.table}'`
          : ` stopped at step ${index} of ${total} (${step.description}): ${err.message}`;
      // NOTE: the create before a copy back: the items are still where the replacement left them.
      const kept =
        step.kind === 'create' && prepared.resumeFrom && err.details?.resume !== true
          ? `; every item is still in ${prepared.resumeFrom.table}: run the same apply again to finish`
          : '';
      // NOTE: a replacement stopped past its first copy changed the table: its message says how.
      const changedHere =
        goesOn ||
        unanswered ||
        err.details?.resume === true ||
        (step.kind === 'replace' && err.details?.phase !== 'prepare');
      const done =
        changedHere && applier.result.applied.length === 0
          ? 'no step before it'
          : describeDone(applier.result.applied);
      throw new DdbError(code, {
        message: `${opts.name ?? 'apply'} ${plan.table}${at}${kept}; ${done}${rest.length ? `; not done: ${rest.length} later step${rest.length === 1 ? '' : 's'}` : ''}`,
        cause: e,
        details: { table: plan.table, applied: applier.result.applied, failed: step, remaining: rest },
      });
    }
    applier.result.applied.push(step);
    opts.onEvent?.({
      type: 'stepDone',
      table: plan.table,
      index,
      total,
      step,
      seconds: (clock.now() - started) / 1000,
    });
  }
  if (total > 0 && (opts.verify ?? true) && waitAfterLast) await verify(clients, prepared);
  return applier.result;
}

/** Read the table again and plan again: what is left was accepted but not done by the endpoint. */
async function verify(clients: Clients, prepared: PreparedPlan): Promise<void> {
  const state = await readTableState(clients, prepared.plan.table);
  const again = planTable(state ? liveTableOf(state) : undefined, prepared.desired, prepared.caps);
  if (again.steps.length === 0) return;
  throw new DdbError('engine.unsupported', {
    message: `${clients.label} accepted every step for table ${prepared.plan.table} but these did not take effect: ${again.steps.map((s) => s.description).join('; ')}`,
    details: { table: prepared.plan.table, remaining: again.steps },
  });
}
