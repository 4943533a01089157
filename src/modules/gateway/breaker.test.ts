import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeOf, UpstreamBreakers, type UpstreamPermit } from './breaker.js';

const origin = 'http://127.0.0.1:9';

function breakers(options: { failureThreshold?: number; cooldownMs?: number; maxConcurrent?: number } = {}) {
  let now = 1_000_000;
  const subject = new UpstreamBreakers(
    { failureThreshold: 3, cooldownMs: 5_000, maxConcurrent: 2, ...options },
    undefined,
    () => now,
  );
  return {
    subject,
    advance: (ms: number) => {
      now += ms;
    },
    take(): UpstreamPermit {
      const admission = subject.admit(origin);
      if (!admission.ok) throw new Error(`refused: ${admission.code}`);
      return admission.permit;
    },
  };
}

describe('upstream circuit breaker', () => {
  it('opens after the threshold of consecutive failures and refuses with Retry-After until the cool-down ends', () => {
    const { subject, take, advance } = breakers();
    take().release('failure');
    take().release('success'); // a success in between starts the count again
    for (let i = 0; i < 3; i++) take().release('failure');
    expect(subject.stateOf(origin).state).toBe('open');
    const refused = subject.admit(origin);
    expect(refused).toMatchObject({ ok: false, code: 'upstream-circuit-open', retryAfterSeconds: 5 });
    expect(subject.refusal(origin)?.code).toBe('upstream-circuit-open');
    advance(4_000);
    expect(subject.admit(origin)).toMatchObject({ ok: false, retryAfterSeconds: 1 });
  });

  it('lets one probe through after the cool-down: its success closes the circuit, its failure reopens it', () => {
    const { subject, take, advance } = breakers();
    for (let i = 0; i < 3; i++) take().release('failure');
    advance(5_000);
    expect(subject.stateOf(origin).state).toBe('half-open');
    const probe = take();
    expect(subject.admit(origin)).toMatchObject({ ok: false, code: 'upstream-circuit-open' });
    probe.release('failure');
    expect(subject.stateOf(origin).state).toBe('open');
    advance(5_000);
    take().release('success');
    expect(subject.stateOf(origin).state).toBe('closed');
    take().release('success');
  });

  it('refuses calls past the bound in flight with upstream-busy, and frees a slot on release', () => {
    const { subject, take } = breakers();
    const first = take();
    take();
    expect(subject.admit(origin)).toMatchObject({ ok: false, code: 'upstream-busy', retryAfterSeconds: 1 });
    first.release('neutral');
    first.release('failure'); // a second release changes nothing
    expect(subject.stateOf(origin)).toEqual({ state: 'closed', inFlight: 1 });
    take();
  });

  it('counts no-connection, timeouts and 502/503/504 as failures, a caller going away as nothing', () => {
    expect(outcomeOf({ status: 502, error: 'upstream-unavailable' })).toBe('failure');
    expect(outcomeOf({ status: 504, error: 'upstream-timeout' })).toBe('failure');
    expect(outcomeOf({ status: 503 })).toBe('failure');
    expect(outcomeOf({ status: 500 })).toBe('success');
    expect(outcomeOf({ status: 404 })).toBe('success');
    expect(outcomeOf({ status: 499, error: 'client-closed' })).toBe('neutral');
    expect(outcomeOf({ status: 413, error: 'payload-too-large' })).toBe('neutral');
  });

  it('never exceeds the bound in flight, never admits while open, and probes one at a time (property)', () => {
    type Step =
      | { kind: 'admit' }
      | { kind: 'release'; index: number; outcome: 'success' | 'failure' | 'neutral' }
      | { kind: 'wait'; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant({ kind: 'admit' as const }),
      fc.record({
        kind: fc.constant('release' as const),
        index: fc.nat(20),
        outcome: fc.constantFrom('success' as const, 'failure' as const, 'neutral' as const),
      }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const { subject, advance } = breakers({ failureThreshold: 2, cooldownMs: 2_000, maxConcurrent: 3 });
        const held: UpstreamPermit[] = [];
        let probesInFlight = 0;
        const probes = new Set<UpstreamPermit>();
        for (const s of steps) {
          if (s.kind === 'wait') advance(s.ms);
          else if (s.kind === 'admit') {
            const before = subject.stateOf(origin).state;
            const admission = subject.admit(origin);
            if (admission.ok) {
              expect(before).not.toBe('open');
              if (before === 'half-open') {
                probesInFlight += 1;
                probes.add(admission.permit);
              }
              held.push(admission.permit);
            }
          } else if (held.length > 0) {
            const [permit] = held.splice(s.index % held.length, 1);
            if (probes.delete(permit!)) probesInFlight -= 1;
            permit!.release(s.outcome);
          }
          expect(subject.stateOf(origin).inFlight).toBe(held.length);
          expect(held.length).toBeLessThanOrEqual(3);
          expect(probesInFlight).toBeLessThanOrEqual(1);
        }
      }),
      { seed: 20_261_125, numRuns: 300 },
    );
  });
});
