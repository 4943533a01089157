import { createHash } from 'node:crypto';
import type { GatewaySnapshot, SnapshotSource } from './snapshot.js';

/**
 * A SnapshotSource over a snapshot held in memory, for tests and the benchmark: `replace` swaps
 * the snapshot and notifies listeners, as the control plane's change feed would.
 */
export class FixedSnapshotSource implements SnapshotSource {
  private readonly listeners = new Set<() => void>();
  loads = 0;

  constructor(private snapshot: GatewaySnapshot) {}

  async load(): Promise<GatewaySnapshot> {
    this.loads += 1;
    return this.snapshot;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  replace(snapshot: GatewaySnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }

  get current(): GatewaySnapshot {
    return this.snapshot;
  }
}

/** How the snapshot keys API key secrets: SHA-256, hex. */
export function apiKeyHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
