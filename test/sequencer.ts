import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the longest test files first, so that on two workers the run does not end with one worker
 * still on a long file while the other has nothing left (longest-processing-time-first scheduling).
 *
 * A file's length is its last time in this checkout (Vitest's own cache), else its time in
 * test/durations.json (recorded with `npm run test:profile -- --record-durations`, so a fresh clone
 * or CI starts in a good order too); files known to neither run after them, larger first. Projects
 * stay together, as in Vitest's own order: a worker then keeps its project's modules loaded.
 */
export class LongestFirstSequencer extends BaseSequencer {
  private readonly recorded = readRecordedDurations();

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const secondsOf = (spec: TestSpecification): number | undefined => {
      const file = path.relative(root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
      return cached && cached.duration > 0 ? cached.duration / 1000 : this.recorded[file];
    };
    const sizeOf = (spec: TestSpecification) =>
      this.ctx.cache.getFileStats(`${spec.project.name}:${path.relative(root, spec.moduleId)}`)?.size ?? 0;
    return [...files].sort((a, b) => {
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1;
      const failedA = this.ctx.cache.getFileTestResults(
        `${a.project.name}:${path.relative(root, a.moduleId)}`,
      )?.failed;
      const failedB = this.ctx.cache.getFileTestResults(
        `${b.project.name}:${path.relative(root, b.moduleId)}`,
      )?.failed;
      if (failedA !== failedB) return failedA ? -1 : 1;
      const secondsA = secondsOf(a);
      const secondsB = secondsOf(b);
      if (secondsA !== undefined && secondsB !== undefined) return secondsB - secondsA;
      if (secondsA !== undefined || secondsB !== undefined) return secondsA !== undefined ? -1 : 1;
      return sizeOf(b) - sizeOf(a);
    });
  }
}

function readRecordedDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(path.join(import.meta.dirname, 'durations.json'), 'utf8'));
  } catch {
    return {};
  }
}
