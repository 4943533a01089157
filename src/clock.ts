/** Time as a dependency, so expiry and ledger timestamps can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
