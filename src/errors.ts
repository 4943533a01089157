/**
 * The one catalogue of error codes the platform answers with. Each code is a stable kebab-case
 * noun; clients switch on `code`, people read `title` and `detail`. docs/errors.md documents the
 * same list and a test fails when the two disagree.
 * Responses follow RFC 9457 (application/problem+json): `type` is a URI naming the code.
 */
export const errorCatalogue = {
  'bad-request': { status: 400, title: 'The request is malformed' },
  'validation-failed': { status: 400, title: 'The request does not match its schema' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  'invalid-credentials': { status: 401, title: 'The e-mail address or password is wrong' },
  'password-too-weak': { status: 422, title: 'The password does not meet the password policy' },
  forbidden: { status: 403, title: 'The caller may not do this' },
  'csrf-refused': {
    status: 403,
    title: 'A browser sent this signed-in request from a page of another origin',
  },
  'not-found': { status: 404, title: 'No such object' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'already-exists': { status: 409, title: 'An object with this identity already exists' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body has an unsupported media type' },
  'not-acceptable': { status: 406, title: 'None of the media types the request accepts can be served' },
  'org-not-active': { status: 403, title: 'The organisation is not active yet' },
  'invitation-invalid': { status: 410, title: 'The invitation is unknown, used or expired' },
  'password-reset-invalid': { status: 410, title: 'The password-reset link is unknown, used or expired' },
  'current-password-incorrect': { status: 403, title: 'The current password given is not the account’s' },
  'invalid-openapi': { status: 422, title: 'The OpenAPI document is not valid' },
  'subscription-not-active': { status: 403, title: 'No active subscription covers this API' },
  'api-version-sunset': {
    status: 410,
    title: 'The API version reached its sunset date; the gateway no longer forwards its calls',
  },
  'operation-not-in-plan': { status: 403, title: "The subscription's plan does not include this operation" },
  'request-invalid': { status: 400, title: "The request does not match the API's OpenAPI document" },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'quota-exceeded': { status: 429, title: 'The monthly quota is used up' },
  'upstream-unavailable': { status: 502, title: 'The upstream service did not answer' },
  'upstream-timeout': { status: 504, title: 'The upstream service answered too slowly' },
  'upstream-circuit-open': {
    status: 503,
    title: 'The upstream service is failing; the gateway is not calling it for a while',
  },
  'upstream-busy': { status: 503, title: 'The upstream service has as many calls in flight as it may' },
  'invalid-dataset-file': { status: 422, title: 'The uploaded file cannot be read as the declared format' },
  'classification-unconfirmed': {
    status: 409,
    title: "The dataset's column classifications are not confirmed by its provider",
  },
  'open-data-restricted-columns': {
    status: 409,
    title: 'An open licence cannot cover personal, sensitive or identifier columns',
  },
  'terms-invalid': { status: 422, title: 'The agreement terms are not valid' },
  'agreement-not-active': { status: 403, title: 'The agreement is expired, revoked or not yet approved' },
  'query-refused': { status: 403, title: 'The query is not allowed' },
  'query-invalid': { status: 400, title: 'The query cannot be run' },
  'query-limit-reached': { status: 403, title: "The agreement's query allowance is used up" },
  'query-timeout': { status: 408, title: 'The query ran past its time limit' },
  'query-resources-exceeded': {
    status: 503,
    title: 'The query needed more memory than a query may use and was stopped',
  },
  'query-engine-busy': { status: 503, title: 'Every query worker is busy' },
  'query-concurrency-exceeded': {
    status: 429,
    title: 'The organisation has as many queries running and waiting as it may',
  },
  'query-failed': {
    status: 400,
    title: 'The query failed while it ran; an aggregate-only dataset answers no engine detail',
  },
  'region-not-allowed': {
    status: 403,
    title: "The agreement does not allow access from the caller's location",
  },
  'download-not-permitted': { status: 403, title: 'The agreement does not permit downloads' },
  'privacy-budget-exhausted': {
    status: 403,
    title: 'The differential-privacy budget (of a lab, or of a grant with noise) cannot pay for the query',
  },
  'location-unverified': {
    status: 403,
    title: "An organisation's location is not verified by an operator",
  },
  'transfer-not-permitted': { status: 403, title: 'The GBA cross-boundary route does not reach this party' },
  'transfer-required': {
    status: 403,
    title: 'Cross-boundary personal data needs an approved, in-date transfer',
  },
  'transfer-incomplete': { status: 409, title: 'The transfer is missing required steps' },
  'consent-required': {
    status: 403,
    title: 'No live consent of the data subject covers this use',
  },
  'consent-import-invalid': { status: 422, title: 'The consent file has lines that cannot be imported' },
  // Single sign-on (OpenID Connect).
  'sso-state-invalid': {
    status: 400,
    title: 'The sign-in attempt is unknown, used, expired or was started in another browser',
  },
  'sso-token-invalid': { status: 401, title: "The identity provider's answer could not be verified" },
  'sso-email-unverified': {
    status: 403,
    title: 'The identity provider does not vouch for the e-mail address',
  },
  'sso-user-unmapped': {
    status: 403,
    title: "No organisation is mapped to the person's e-mail domain or claims",
  },
  // Delta Sharing history (time travel and change data feed).
  'table-version-not-found': { status: 404, title: 'The shared table has no version at that number or time' },
  'table-version-not-shared': {
    status: 403,
    title: "The table version lies outside what the recipient's grant shares",
  },
  'table-changes-unavailable': {
    status: 409,
    title: 'The change data feed cannot span the requested versions',
  },
  // DCAT-AP 3 validation.
  'dcat-ap-invalid': { status: 422, title: "The dataset's DCAT-AP 3 record violates the profile's shapes" },
  'harvest-running': { status: 409, title: 'A run of this harvest source is already in progress' },
  // ---- data community ----
  'wish-closed': { status: 409, title: 'The wish is closed: it takes no more votes or responses' },
  'wish-target-unpublished': {
    status: 409,
    title: 'A wish is answered only with a published dataset or a public API',
  },
  // Idempotency-Key (src/http/idempotency.ts).
  'idempotency-key-invalid': { status: 400, title: 'The Idempotency-Key header is not a valid key' },
  'idempotency-key-reused': {
    status: 422,
    title: 'The Idempotency-Key was already used for another request',
  },
  'idempotency-key-in-use': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being carried out',
  },
  'idempotency-answer-not-kept': {
    status: 409,
    title: 'The request with this Idempotency-Key was carried out; its streamed answer was not kept',
  },
  // Storage under DATA_DIR (src/infra/storage-errors.ts).
  'storage-full': { status: 507, title: 'The storage the platform writes to is full' },
  'storage-unavailable': { status: 503, title: 'The storage the platform writes to cannot be written' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const problemTypeBase = 'https://stp-platform.dev/problems/';

/** A domain error: services throw these; the HTTP layer maps them to problem+json. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly extensions: Record<string, unknown>;

  constructor(code: ErrorCode, detail?: string, extensions: Record<string, unknown> = {}) {
    super(detail ?? errorCatalogue[code].title);
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.extensions = extensions;
  }
}

export const notFound = (what: string) => new AppError('not-found', `${what} was not found`);
export const forbidden = (detail: string) => new AppError('forbidden', detail);
export const conflict = (detail: string) => new AppError('conflict', detail);

/** A 400 naming one field, in the same shape as schema validation errors. */
export function validationFailed(field: string, message: string): AppError {
  return new AppError('validation-failed', `${field}: ${message}`, { errors: [{ field, message }] });
}
