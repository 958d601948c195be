import type { StrategyType } from '@tenantvec/core';

import type { SearchModePhase } from './measure-search-modes.js';

export type BenchPhase = 'workload' | 'ground-truth' | 'ingest' | 'index-builds' | 'onboarding' | 'queries' | 'leak-probes' | 'overhead' | 'baseline' | 'offboarding' | 'cleanup' | SearchModePhase;

/** One step of a run; `done` of `total` within the phase. The CLI draws it as a progress bar. */
export interface BenchProgress {
  strategy?: StrategyType;
  phase: BenchPhase;
  done: number;
  total: number;
}

export type ProgressListener = (progress: BenchProgress) => void;
