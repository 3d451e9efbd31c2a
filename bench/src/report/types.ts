/**
 * The results of `pnpm bench` as one document (bench/results/latest.json): what every phase wrote,
 * plus the machine, the load and the versions.
 */
import type { ColdStartResult } from '../coldstart.js';
import type { HttpResult } from '../http.js';
import type { KeysResult } from '../keys.js';
import type { LoadSample, MachineInfo } from '../lib/machine.js';
import type { MemoryResult } from '../memory.js';
import type { MicroResult } from '../micro.js';
import type { ProfileResult } from '../profile.js';

export const PHASES = ['micro', 'http', 'keys', 'coldstart', 'memory', 'profile'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseInfo {
  readonly seconds: number;
  /** Share of all cores busy during the phase, the benchmark's own load included. */
  readonly busyShare: number | undefined;
  /** Share of all cores that other processes kept busy during the phase. */
  readonly othersShare?: number | undefined;
  readonly ranAt: string;
}

export interface AllResults {
  readonly generatedAt: string;
  readonly machine: MachineInfo;
  readonly versions: Record<string, string>;
  readonly load: { before: LoadSample; after: LoadSample };
  readonly mintSeconds: number;
  readonly totalSeconds: number;
  readonly phaseInfo: Partial<Record<Phase, PhaseInfo>>;
  /** Phases that failed in the last run, with the reason. */
  readonly failures?: Partial<Record<Phase, string>>;
  readonly tokenPool: { valid: number; reused: number; rejected: number };
  readonly micro?: MicroResult;
  readonly http?: HttpResult;
  readonly keys?: KeysResult;
  readonly coldstart?: ColdStartResult;
  readonly memory?: MemoryResult;
  readonly profile?: ProfileResult;
}
