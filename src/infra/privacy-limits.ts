/**
 * The limits of the platform's differential-privacy accounting, shared by everything that sets or
 * spends an ε budget: lab settings, the noise terms of an aggregate-only agreement, the query
 * engine's noisy aggregates.
 */

/**
 * Spending checks `spent + ε ≤ total` exactly but for this much: sums of doubles such as
 * 0.1 + 0.2 round past their decimal total. Every query costs at least the lab's ε floor (≥ 10⁻⁴),
 * so the tolerance never lets a query through an empty budget.
 */
export const budgetTolerance = 1e-9;

/** The least ε floor an owner may set. */
export const minEpsilonFloor = 1e-4;

/** Measure bounds are at most this large in magnitude: noise scales stay finite for every ε above the floor. */
export const maxMeasureBound = 1e15;
