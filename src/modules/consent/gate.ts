import type { Purpose } from '../access/schema.js';

/**
 * The consent rule as the gateway holds it in its snapshot: for each consent-required API, the
 * consents that may still be live (unrevoked, not yet expired when the snapshot was built), by
 * subject key. The hot path reads only this; revocations and new consents reach it through the
 * change feed like any other snapshot change, and expiry is checked against the clock on each call,
 * so a consent that runs out between two snapshots stops working on time.
 */
export interface ConsentWindow {
  consentId: string;
  /** null: the consent allows any organisation. */
  granteeOrgId: string | null;
  fromMs: number;
  /** Infinity when the consent has no expiry. */
  untilMs: number;
}

export interface ConsentGate {
  purpose: Purpose;
  /** Every call concerns a data subject: a call without a subject key is refused. */
  subjectRequired: boolean;
  bySubject: Map<string, ConsentWindow[]>;
}

/** The request header that names the data subject a gateway call concerns. */
export const subjectKeyHeader = 'x-subject-key';

/**
 * A subject key: the provider's own pseudonymous key for a data subject. Letters and digits first,
 * then letters, digits and `. _ : @ + = -`: no spaces, commas, slashes or line breaks, so a key fits
 * a header, a URL path segment and a CSV cell as it is, and the query engine's list of consenting
 * subjects can be one newline-separated literal.
 */
export const subjectKeyPattern = '^[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,127}$';
const subjectKeyRegExp = new RegExp(subjectKeyPattern);

export function isSubjectKey(value: string): boolean {
  return subjectKeyRegExp.test(value);
}

/**
 * Why a call to a consent-required API must be refused, or null when it may go: with a subject key,
 * a consent of that subject must be live now for the calling organisation (or any); without one,
 * the call goes only if the API does not say that every call concerns a subject.
 */
export function consentRefusal(
  gate: ConsentGate,
  callerOrgId: string,
  subjectKey: string | string[] | undefined,
  nowMs: number,
): string | null {
  if (subjectKey === undefined) {
    return gate.subjectRequired
      ? `every call to this API concerns a data subject: send ${subjectKeyHeader} with the subject's key`
      : null;
  }
  if (typeof subjectKey !== 'string' || !subjectKeyRegExp.test(subjectKey)) {
    return `${subjectKeyHeader} must be one subject key (letters, digits and . _ : @ + = -, at most 128)`;
  }
  const windows = gate.bySubject.get(subjectKey);
  if (windows) {
    for (const window of windows) {
      if (
        (window.granteeOrgId === null || window.granteeOrgId === callerOrgId) &&
        window.fromMs <= nowMs &&
        nowMs < window.untilMs
      ) {
        return null;
      }
    }
  }
  // The same answer for an unknown subject and a subject who did not consent: keys are not probed.
  return `no live consent of this data subject covers your organisation for ${gate.purpose}`;
}
