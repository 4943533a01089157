import type { ErrorCode } from '../../errors.js';

/**
 * Keeps one failing upstream from dragging the gateway down with it: a circuit breaker and a bound
 * on calls in flight, per upstream origin (the unit the proxy pools connections by).
 *
 * - Bounded concurrency: at most `maxConcurrent` calls to one upstream are in flight from this
 *   process. A call past that is answered `503 upstream-busy` at once instead of queueing, so a
 *   hanging upstream holds at most that many sockets and callers never pile up behind it.
 * - Circuit breaker: `failureThreshold` consecutive failures open the circuit; while open, calls are
 *   answered `503 upstream-circuit-open` with Retry-After, without connecting. After `cooldownMs` one
 *   call goes through as a probe (half-open): its success closes the circuit, its failure opens it
 *   for another cool-down, and the calls that arrive meanwhile are refused.
 *
 * A failure is what says the upstream is down or overloaded: no connection, a reset, a timeout
 * (the gateway's 502/504), or the upstream's own 502, 503 or 504. Any other answer, 500 included,
 * is a success here: the upstream is up and answering, and one consumer's requests that make it fail
 * must not shut the API for every other consumer. A caller that goes away decides nothing.
 */

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  maxConcurrent: number;
}

export const defaultBreakerOptions: BreakerOptions = {
  failureThreshold: 5,
  cooldownMs: 10_000,
  maxConcurrent: 256,
};

export type CallOutcome = 'success' | 'failure' | 'neutral';

export interface UpstreamPermit {
  /** Ends the call; the first call counts, later ones are ignored. */
  release(outcome: CallOutcome): void;
}

export interface UpstreamRefusal {
  code: Extract<ErrorCode, 'upstream-circuit-open' | 'upstream-busy'>;
  detail: string;
  retryAfterSeconds: number;
}

export type Admission = { ok: true; permit: UpstreamPermit } | ({ ok: false } & UpstreamRefusal);

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

interface Circuit {
  state: CircuitState;
  consecutiveFailures: number;
  openUntil: number;
  inFlight: number;
  isProbing: boolean;
}

/** The outcome of a proxied call for the breaker, from its status and the gateway's own error. */
export function outcomeOf(result: { status: number; error?: string }): CallOutcome {
  if (result.error === 'client-closed' || result.error === 'payload-too-large') return 'neutral';
  if (result.error === 'upstream-unavailable' || result.error === 'upstream-timeout') return 'failure';
  if (result.status === 502 || result.status === 503 || result.status === 504) return 'failure';
  return 'success';
}

export class UpstreamBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly options: BreakerOptions = defaultBreakerOptions,
    private readonly logger?: BreakerLogger,
    private readonly now: () => number = Date.now,
  ) {}

  private circuit(origin: string): Circuit {
    let circuit = this.circuits.get(origin);
    if (!circuit) {
      circuit = { state: 'closed', consecutiveFailures: 0, openUntil: 0, inFlight: 0, isProbing: false };
      this.circuits.set(origin, circuit);
    }
    return circuit;
  }

  /** The state now (an open circuit whose cool-down has passed reads half-open). */
  stateOf(origin: string): { state: CircuitState; inFlight: number } {
    const circuit = this.circuits.get(origin);
    if (!circuit) return { state: 'closed', inFlight: 0 };
    this.advance(circuit);
    return { state: circuit.state, inFlight: circuit.inFlight };
  }

  private advance(circuit: Circuit) {
    if (circuit.state === 'open' && this.now() >= circuit.openUntil) {
      circuit.state = 'half-open';
      circuit.isProbing = false;
    }
  }

  private refusalOf(circuit: Circuit): UpstreamRefusal | null {
    this.advance(circuit);
    if (circuit.state === 'open') {
      return {
        code: 'upstream-circuit-open',
        detail: 'the upstream service is failing; the gateway stopped calling it for a while',
        retryAfterSeconds: Math.max(1, Math.ceil((circuit.openUntil - this.now()) / 1000)),
      };
    }
    if (circuit.inFlight >= this.options.maxConcurrent) {
      return {
        code: 'upstream-busy',
        detail: `the upstream service already has ${this.options.maxConcurrent} calls in flight from this gateway`,
        retryAfterSeconds: 1,
      };
    }
    if (circuit.state === 'half-open' && circuit.isProbing) {
      return {
        code: 'upstream-circuit-open',
        detail: 'the upstream service is failing; one call is testing whether it is back',
        retryAfterSeconds: 1,
      };
    }
    return null;
  }

  /** Whether a call would be refused now, without taking a slot (to refuse before the quota is used). */
  refusal(origin: string): UpstreamRefusal | null {
    const circuit = this.circuits.get(origin);
    return circuit ? this.refusalOf(circuit) : null;
  }

  /** Takes a slot for one call, or says why not; the permit must be released exactly once. */
  admit(origin: string): Admission {
    const circuit = this.circuit(origin);
    const refusal = this.refusalOf(circuit);
    if (refusal) return { ok: false, ...refusal };
    const isProbe = circuit.state === 'half-open';
    if (isProbe) circuit.isProbing = true;
    circuit.inFlight += 1;
    let isReleased = false;
    return {
      ok: true,
      permit: {
        release: (outcome) => {
          if (isReleased) return;
          isReleased = true;
          circuit.inFlight -= 1;
          if (isProbe) this.settleProbe(origin, circuit, outcome);
          else this.count(origin, circuit, outcome);
        },
      },
    };
  }

  private settleProbe(origin: string, circuit: Circuit, outcome: CallOutcome) {
    circuit.isProbing = false;
    if (outcome === 'success') {
      circuit.state = 'closed';
      circuit.consecutiveFailures = 0;
      this.logger?.info({ upstream: origin }, 'upstream answered the probe: circuit closed');
    } else if (outcome === 'failure') {
      this.open(origin, circuit);
    }
  }

  private count(origin: string, circuit: Circuit, outcome: CallOutcome) {
    // Late answers to calls sent before the circuit opened decide nothing: the probe does.
    if (circuit.state !== 'closed' || outcome === 'neutral') return;
    if (outcome === 'success') {
      circuit.consecutiveFailures = 0;
      return;
    }
    circuit.consecutiveFailures += 1;
    if (circuit.consecutiveFailures >= this.options.failureThreshold) this.open(origin, circuit);
  }

  private open(origin: string, circuit: Circuit) {
    circuit.state = 'open';
    circuit.openUntil = this.now() + this.options.cooldownMs;
    this.logger?.warn(
      {
        upstream: origin,
        consecutiveFailures: circuit.consecutiveFailures,
        cooldownMs: this.options.cooldownMs,
      },
      'upstream failing: circuit open',
    );
  }
}
