/** The plan under construction: steps kept or filed as unsupported by what the engine can do; the TTL and PITR steps. */
import { NOTE_TTL } from './describe.js';
import type { EngineCaps, PlanStep } from './types.js';

export class PlanBuilder {
  readonly steps: PlanStep[] = [];
  readonly unsupported: PlanStep[] = [];
  private readonly engine: string;

  constructor(private readonly caps: EngineCaps) {
    this.engine = caps.engine ?? 'this engine';
  }

  /** Add a step, or file it under `unsupported` when `needs` is a capability the engine lacks. */
  add(step: PlanStep, needs?: Exclude<keyof EngineCaps, 'engine'>): void {
    if (needs === undefined || this.caps[needs]) this.steps.push(step);
    else this.unsupported.push({ ...step, reason: this.reason(needs) });
  }

  has(cap: Exclude<keyof EngineCaps, 'engine'>): boolean {
    return this.caps[cap];
  }

  reason(cap: Exclude<keyof EngineCaps, 'engine'>): string {
    const e = this.engine;
    switch (cap) {
      case 'gsiUpdate':
        return `${e} cannot create or delete a GSI through UpdateTable`;
      case 'ttl':
        return `${e} does not support TTL (UpdateTimeToLive)`;
      case 'pitr':
        return `${e} does not support point-in-time recovery (UpdateContinuousBackups)`;
      case 'tags':
        return `${e} does not support tags (TagResource, UntagResource)`;
      case 'createTags':
        return `${e} ignores the Tags of CreateTable`;
      case 'streams':
        return `${e} does not support DynamoDB Streams`;
      case 'tableClass':
        return `${e} does not support table classes`;
      case 'deletionProtection':
        return `${e} does not support deletion protection`;
      case 'onDemandThroughput':
        return `${e} does not support on-demand throughput limits (OnDemandThroughput)`;
      case 'gsiOnDemandUpdate':
        return `${e} cannot change a GSI's on-demand throughput limits through UpdateTable`;
      case 'warmThroughput':
        return `${e} does not support warm throughput (WarmThroughput)`;
      case 'sse':
        return `${e} does not support encryption with a KMS key (SSESpecification)`;
      case 'resourcePolicy':
        return `${e} does not support resource-based policies (PutResourcePolicy)`;
    }
  }
}

export function joinNotes(notes: (string | undefined)[]): string | undefined {
  const kept = [...new Set(notes.filter((n): n is string => n !== undefined && n !== ''))];
  return kept.length > 0 ? kept.join('; ') : undefined;
}

export function withNote<T extends PlanStep>(step: T, note: string | undefined): T {
  const limitNote = joinNotes([step.limitNote, note]);
  return limitNote === undefined ? step : { ...step, limitNote };
}

export function ttlStep(table: string, attribute: string, enabled: boolean, note = NOTE_TTL): PlanStep {
  return {
    kind: 'ttl',
    label: 'limited',
    description: `${enabled ? 'enable' : 'disable'} TTL on ${attribute}`,
    limitNote: note,
    input: { TableName: table, TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } },
  };
}

export function pitrStep(table: string, enabled: boolean): PlanStep {
  return {
    kind: 'pitr',
    label: 'in place',
    description: `${enabled ? 'enable' : 'disable'} point-in-time recovery`,
    input: { TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled } },
  };
}
