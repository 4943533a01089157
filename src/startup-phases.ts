import { performance } from 'node:perf_hooks';

/**
 * Where a start's time goes: each `mark` closes the phase that began at the previous mark (or at
 * creation). `stp serve` logs the phases once it listens, so a slow start says which part was slow.
 */
export class StartupPhases {
  private last: number;
  readonly phases: { name: string; ms: number }[] = [];

  /** `from`: a `performance.now()` reading; 0 counts from the process's own start. */
  constructor(private readonly started = performance.now()) {
    this.last = started;
  }

  mark(name: string): void {
    const now = performance.now();
    this.phases.push({ name, ms: Math.round(now - this.last) });
    this.last = now;
  }

  get totalMs(): number {
    return Math.round(this.last - this.started);
  }

  /** `4.2 s: database 1.1 s, demo datasets 2.0 s, …` with the phases of 50 ms or more. */
  summary(): string {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const parts = this.phases.filter((phase) => phase.ms >= 50).map((p) => `${p.name} ${seconds(p.ms)}`);
    return `${seconds(this.totalMs)}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
  }
}
