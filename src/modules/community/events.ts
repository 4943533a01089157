import Type, { type Static, type TSchema } from 'typebox';
import type { Executor } from '../../db/client.js';

/**
 * The event catalogue: every state change another party cares about, with who hears of it and
 * what it carries. Each event is written as an in-app notification to each party's organisation
 * and, for every webhook that asked for it, as a webhook delivery — both in the transaction of the
 * change itself (the outbox: `notifications` and `webhook_deliveries`), so an event exists exactly
 * when its change was committed. Webhooks are posted after commit by the delivery worker.
 *
 * docs/events.md is generated from this file (`npm run docs:events`); a test fails when it is stale.
 */

/** The parties an event can be addressed to. An event reaches only the parties its entry names. */
export const parties = {
  consumer: 'the consumer organisation (requester, subscriber, grantee)',
  provider: 'the provider organisation (dataset or API owner, data controller)',
  grantee: 'each organisation holding an agreement that covered the subject of a revoked consent',
  member: 'the organisation holding the lab seat (or that ran the analysis)',
  owner: "the lab's owner and its data owners (who review results before they leave)",
  sender: 'the sending side of a cross-boundary transfer (it files with the authority)',
  recipient: 'the receiving side of a cross-boundary transfer',
  follower: 'each organisation that follows the wish or the publisher (not the one that acted)',
  caller:
    'each organisation that called the API version in the 30 days before, by the metering records (each told its own count)',
} as const;
export type Party = keyof typeof parties;

interface EventDefinition<P extends TSchema = TSchema, A extends readonly Party[] = readonly Party[]> {
  description: string;
  /** Who receives it; nobody else ever does. */
  audience: A;
  /** The type of object the notification links to (the portal opens it). */
  object: string;
  payload: P;
}

const define = <P extends TSchema, const A extends readonly Party[]>(
  definition: EventDefinition<P, A>,
): EventDefinition<P, A> => definition;

const Id = (description: string) => Type.String({ description });
const Time = (description: string) => Type.String({ format: 'date-time', description });
const Reason = Type.String({ description: 'the reason the deciding party gave' });

const accessRequest = Type.Object({
  requestId: Id('the access request (arq_…)'),
  datasetId: Id('the dataset asked for'),
  consumerOrgId: Id('the requesting organisation'),
  providerOrgId: Id("the dataset's owner"),
});

const subscription = Type.Object({
  subscriptionId: Id('the subscription (sub_…)'),
  apiId: Id('the API'),
  planId: Id('the plan'),
  consumerOrgId: Id('the subscribing organisation'),
  providerOrgId: Id("the API's owner"),
  endsAt: Type.Union([Time('when the subscription ends'), Type.Null()]),
});

const agreement = Type.Object({
  agreementId: Id('the agreement (agr_…)'),
  datasetId: Id('the dataset it grants'),
  consumerOrgId: Id('the grantee'),
  providerOrgId: Id("the dataset's owner"),
  expiresAt: Time('when the agreement ends'),
});

const transfer = Type.Object({
  transferId: Id('the transfer (xfr_…)'),
  providerOrgId: Id('the sending organisation'),
  recipientOrgId: Id('the receiving organisation'),
  state: Type.String({ description: 'the state the transfer is now in' }),
});

const labSeat = Type.Object({
  labId: Id('the lab (lab_…)'),
  memberOrgId: Id('the organisation holding the seat'),
  role: Type.String({ description: 'its role in the lab (researcher or data-owner)' }),
  agreementId: Type.Union([Id('the agreement the seat came from'), Type.Null()]),
  endsAt: Type.Union([Time('when the seat ends'), Type.Null()]),
});

const apiVersionRetirement = Type.Object({
  apiId: Id('the API (api_…)'),
  slug: Type.String({ description: 'its address under /gw/' }),
  versionId: Id('the version retired (apv_…)'),
  version: Type.String({ description: 'the version as its document names it (info.version)' }),
  providerOrgId: Id("the API's owner"),
  deprecatedAt: Time('when the version is deprecated from (the Deprecation header)'),
  sunsetAt: Time('when the gateway stops forwarding its calls (the Sunset header); 410 after'),
  link: Type.Union([Type.String({ description: "the provider's page about the retirement" }), Type.Null()]),
  successorApiId: Type.Union([Id('the API to move to'), Type.Null()]),
  calls: Type.Integer({ description: 'your calls to this version in the 30 days before' }),
});

const labOutput = Type.Object({
  labId: Id('the lab'),
  queryId: Id('the analysis result (lqr_…)'),
  memberOrgId: Id('the organisation that ran the analysis'),
});

const labModel = Type.Object({
  labId: Id('the lab'),
  modelId: Id('the trained model (lmd_…)'),
  name: Type.String({ description: 'the model name' }),
  version: Type.Integer({ description: 'the model version' }),
  memberOrgId: Id('the organisation whose job trained it'),
});

export const eventCatalogue = {
  'access-request.created': define({
    description: 'A consumer asked for a dataset; the provider decides.',
    audience: ['provider'],
    object: 'access-request',
    payload: Type.Intersect([accessRequest, Type.Object({ purpose: Type.String() })]),
  }),
  'access-request.approved': define({
    description: 'The provider approved a request; the agreement exists from now.',
    audience: ['consumer', 'provider'],
    object: 'access-request',
    payload: Type.Intersect([accessRequest, Type.Object({ agreementId: Id('the agreement created') })]),
  }),
  'access-request.rejected': define({
    description: 'The provider rejected a request.',
    audience: ['consumer'],
    object: 'access-request',
    payload: Type.Intersect([accessRequest, Type.Object({ reason: Reason })]),
  }),
  'access-request.withdrawn': define({
    description: 'The consumer withdrew its pending request.',
    audience: ['provider'],
    object: 'access-request',
    payload: accessRequest,
  }),
  'agreement.approved': define({
    description: 'An agreement came into force.',
    audience: ['consumer', 'provider'],
    object: 'agreement',
    payload: agreement,
  }),
  'agreement.revoked': define({
    description: 'One side revoked an agreement; access ends at once.',
    audience: ['consumer', 'provider'],
    object: 'agreement',
    payload: Type.Intersect([
      agreement,
      Type.Object({ reason: Reason, revokedByOrgId: Id('the side that revoked') }),
    ]),
  }),
  'agreement.expiring': define({
    description: 'An agreement ends within 7 days (sent at 7 days and again at 1 day).',
    audience: ['consumer', 'provider'],
    object: 'agreement',
    payload: Type.Intersect([agreement, Type.Object({ daysLeft: Type.Integer() })]),
  }),
  'agreement.expired': define({
    description: 'An agreement reached its end; access has ended.',
    audience: ['consumer', 'provider'],
    object: 'agreement',
    payload: agreement,
  }),
  'agreement.endorsed': define({
    description: 'A regulator endorsed an agreement.',
    audience: ['consumer', 'provider'],
    object: 'agreement',
    payload: Type.Object({
      reviewId: Id('the review'),
      decision: Type.String(),
      reason: Reason,
      regulatorOrgId: Id('the regulator'),
    }),
  }),
  'agreement.objected': define({
    description: 'A regulator objects to an agreement; it stays in force until the provider revokes it.',
    audience: ['consumer', 'provider'],
    object: 'agreement',
    payload: Type.Object({
      reviewId: Id('the review'),
      decision: Type.String(),
      reason: Reason,
      regulatorOrgId: Id('the regulator'),
    }),
  }),
  'subscription.requested': define({
    description: 'A consumer subscribed to a plan that needs approval; the provider decides.',
    audience: ['provider'],
    object: 'subscription',
    payload: subscription,
  }),
  'subscription.approved': define({
    description: 'A subscription became active (by the provider, or at once on a plan without approval).',
    audience: ['consumer', 'provider'],
    object: 'subscription',
    payload: subscription,
  }),
  'subscription.rejected': define({
    description: 'The provider rejected a subscription.',
    audience: ['consumer'],
    object: 'subscription',
    payload: Type.Intersect([subscription, Type.Object({ reason: Reason })]),
  }),
  'subscription.suspended': define({
    description: 'The provider suspended a subscription; calls are refused until it is resumed.',
    audience: ['consumer'],
    object: 'subscription',
    payload: Type.Intersect([subscription, Type.Object({ reason: Reason })]),
  }),
  'subscription.resumed': define({
    description: 'The provider resumed a suspended subscription.',
    audience: ['consumer'],
    object: 'subscription',
    payload: subscription,
  }),
  'subscription.revoked': define({
    description: 'One side ended a subscription for good.',
    audience: ['consumer', 'provider'],
    object: 'subscription',
    payload: subscription,
  }),
  'subscription.plan-change-requested': define({
    description:
      'A consumer asked to move its subscription to a plan that needs approval; the provider decides.',
    audience: ['provider'],
    object: 'subscription',
    payload: Type.Intersect([subscription, Type.Object({ requestedPlanId: Id('the plan asked for') })]),
  }),
  'subscription.plan-changed': define({
    description: 'A subscription moved to another plan (at once, or approved by the provider).',
    audience: ['consumer', 'provider'],
    object: 'subscription',
    payload: Type.Intersect([subscription, Type.Object({ previousPlanId: Id('the plan it left') })]),
  }),
  'subscription.plan-change-rejected': define({
    description: 'The provider rejected a plan change; the subscription keeps its plan.',
    audience: ['consumer', 'provider'],
    object: 'subscription',
    payload: Type.Intersect([
      subscription,
      Type.Object({ requestedPlanId: Id('the plan asked for'), reason: Reason }),
    ]),
  }),
  'subscription.expiring': define({
    description: 'A subscription ends within 7 days (sent at 7 days and again at 1 day).',
    audience: ['consumer', 'provider'],
    object: 'subscription',
    payload: Type.Intersect([subscription, Type.Object({ daysLeft: Type.Integer() })]),
  }),
  'subscription.expired': define({
    description: 'A subscription reached its end date; the gateway refuses its calls.',
    audience: ['consumer', 'provider'],
    object: 'subscription',
    payload: subscription,
  }),
  'credential.expiring': define({
    description: 'An API key or OAuth2 client stops working within 7 days (sent at 7 days and at 1 day).',
    audience: ['consumer'],
    object: 'credential',
    payload: Type.Object({
      credentialId: Id('the credential'),
      expiresAt: Time('when it stops working'),
      daysLeft: Type.Integer(),
    }),
  }),
  'api-version.deprecated': define({
    description:
      'A provider deprecated an API version you called: calls carry Deprecation and Sunset headers, and after the ' +
      'sunset date the gateway answers 410. Sent again when the provider changes the dates.',
    audience: ['caller'],
    object: 'api',
    payload: apiVersionRetirement,
  }),
  'api-version.retiring': define({
    description:
      'An API version you called reaches its sunset within 7 days (sent at 7 days and again at 1 day); move to its successor.',
    audience: ['caller'],
    object: 'api',
    payload: Type.Intersect([apiVersionRetirement, Type.Object({ daysLeft: Type.Integer() })]),
  }),
  'api-version.sunset': define({
    description: 'An API version you called reached its sunset date: the gateway answers its calls with 410.',
    audience: ['caller'],
    object: 'api',
    payload: apiVersionRetirement,
  }),
  'consent.revoked': define({
    description:
      'A data subject withdrew a consent that an agreement of yours covered: delete the copies you downloaded or ' +
      'received through shares and confirm it. No subject data is carried: the deletion request (readable by you) ' +
      "names the provider's pseudonymous subject key.",
    audience: ['grantee'],
    object: 'deletion-request',
    payload: Type.Object({
      deletionRequestId: Id('the deletion request to confirm (del_…)'),
      agreementId: Id('the agreement that covered the subject'),
      datasetId: Id('the dataset'),
      providerOrgId: Id('the data controller'),
      dueAt: Time('confirm deletion by then'),
    }),
  }),
  'deletion-request.confirmed': define({
    description: 'A grantee confirmed it deleted what a revoked consent covered.',
    audience: ['provider'],
    object: 'deletion-request',
    payload: Type.Object({
      deletionRequestId: Id('the deletion request'),
      consentId: Id('the revoked consent'),
      granteeOrgId: Id('the organisation that confirmed'),
      evidence: Type.Union([Type.String({ description: "the grantee's note" }), Type.Null()]),
      late: Type.Boolean({ description: 'confirmed after the deadline' }),
    }),
  }),
  'deletion-request.overdue': define({
    description: "A deletion request passed its deadline unconfirmed; it is in the regulator's queue.",
    audience: ['provider', 'grantee'],
    object: 'deletion-request',
    payload: Type.Object({
      deletionRequestId: Id('the deletion request'),
      consentId: Id('the revoked consent'),
      granteeOrgId: Id('the organisation that has not confirmed'),
      dueAt: Time('the deadline that passed'),
    }),
  }),
  'lab.access-granted': define({
    description:
      'An organisation was given a seat in a lab (by the owner, or by an approved access request for a dataset in it).',
    audience: ['member', 'owner'],
    object: 'lab',
    payload: labSeat,
  }),
  'lab.access-ended': define({
    description: 'A lab seat ended: its end date passed, or the agreement it came from was revoked.',
    audience: ['member', 'owner'],
    object: 'lab',
    payload: Type.Intersect([labSeat, Type.Object({ reason: Reason })]),
  }),
  'lab.access-expiring': define({
    description: 'A lab seat ends within 7 days (sent at 7 days and again at 1 day).',
    audience: ['member', 'owner'],
    object: 'lab',
    payload: Type.Intersect([labSeat, Type.Object({ daysLeft: Type.Integer() })]),
  }),
  'lab.output-pending': define({
    description:
      'An analysis result awaits review by the lab owner or a data owner before the researcher sees it.',
    audience: ['owner'],
    object: 'lab',
    payload: labOutput,
  }),
  'lab.output-released': define({
    description: 'A reviewer released an analysis result; the researcher can read it now.',
    audience: ['member'],
    object: 'lab',
    payload: labOutput,
  }),
  'lab.output-rejected': define({
    description: 'A reviewer withheld an analysis result; it never leaves the lab.',
    audience: ['member'],
    object: 'lab',
    payload: Type.Intersect([labOutput, Type.Object({ reason: Type.Union([Reason, Type.Null()]) })]),
  }),
  'lab.model-pending': define({
    description:
      'A trained model awaits review by the lab owner or a data owner before its card is released.',
    audience: ['owner'],
    object: 'lab',
    payload: labModel,
  }),
  'lab.model-released': define({
    description: 'A reviewer released a trained model; its card can be read and downloaded now.',
    audience: ['member'],
    object: 'lab',
    payload: labModel,
  }),
  'lab.model-rejected': define({
    description: 'A reviewer withheld a trained model; its card never leaves the lab.',
    audience: ['member'],
    object: 'lab',
    payload: Type.Intersect([labModel, Type.Object({ reason: Type.Union([Reason, Type.Null()]) })]),
  }),
  'transfer.submitted': define({
    description: 'A cross-boundary transfer was submitted for assessment.',
    audience: ['recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.under-review': define({
    description: 'A regulator took a transfer into review.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.approved': define({
    description: 'A regulator approved a transfer.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.filed': define({
    description: 'The sender recorded the filing with its authority; personal data may cross.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.rejected': define({
    description: 'A regulator rejected a transfer.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.revoked': define({
    description: 'A transfer was revoked; personal data stops crossing at once.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.suspended': define({
    description: 'A transfer suspended itself: its filing is overdue.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.expired': define({
    description: 'A transfer reached its end.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: transfer,
  }),
  'transfer.filing-due': define({
    description: 'A transfer filing is due within 3 working days.',
    audience: ['sender'],
    object: 'transfer',
    payload: Type.Object({ filingDueOn: Type.String({ description: 'YYYY-MM-DD, Hong Kong time' }) }),
  }),
  'transfer.expiring': define({
    description: 'A transfer expires within 14 days.',
    audience: ['sender', 'recipient'],
    object: 'transfer',
    payload: Type.Object({ expiresAt: Time('when it expires') }),
  }),
  'wish.answered': define({
    description: 'A provider answered a wish with a dataset or API.',
    audience: ['follower'],
    object: 'wish',
    payload: Type.Object({
      wishId: Id('the wish'),
      responseId: Id('the response'),
      responderOrgId: Id('the answering organisation'),
      target: Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() }),
    }),
  }),
  'query.refusals': define({
    description:
      "Another organisation's queries on your datasets were refused repeatedly within a minute (probing).",
    audience: ['provider'],
    object: 'organisation',
    payload: Type.Object({
      probingOrgId: Id('the organisation whose queries were refused'),
      datasetIds: Type.Array(Type.String(), { description: 'your datasets the refused queries named' }),
      count: Type.Integer({ description: 'refusals within the minute so far' }),
    }),
  }),
  'org.published': define({
    description: 'An organisation you follow published a dataset.',
    audience: ['follower'],
    object: 'dataset',
    payload: Type.Object({ orgId: Id('the publisher'), datasetId: Id('the dataset') }),
  }),
} as const;

export type EventCatalogue = typeof eventCatalogue;
export type EventType = keyof EventCatalogue;
export const eventTypes = Object.keys(eventCatalogue) as EventType[];
export type EventPayload<K extends EventType> = Static<EventCatalogue[K]['payload']>;
export type EventAudience<K extends EventType> = EventCatalogue[K]['audience'][number];

/** One event to publish: its parties (each an organisation id, or several), object and payload. */
export interface EventInput<K extends EventType> {
  to: { [P in EventAudience<K>]: string | readonly string[] };
  objectId: string;
  title: string;
  body: string;
  data: EventPayload<K>;
}

/** The organisations an event reaches: exactly its audience's parties, each once. */
export function recipientsOf<K extends EventType>(type: K, to: EventInput<K>['to']): string[] {
  const audience = eventCatalogue[type].audience as readonly Party[];
  const byParty = to as Partial<Record<Party, string | readonly string[]>>;
  const orgIds = audience.flatMap((party) => {
    const value = byParty[party];
    return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  });
  return [...new Set(orgIds)];
}

/** Writes events inside the caller's transaction (NotificationService implements it). */
export interface EventPublisher {
  publish<K extends EventType>(tx: Executor, type: K, input: EventInput<K>): Promise<unknown>;
}
