export const TABLE: string;
export const KEY_TABLE: string;
export const ITEM: Record<string, unknown>;
export const CASES: Record<string, unknown>[];
export const LEGACY_CASES: Record<string, unknown>[];
