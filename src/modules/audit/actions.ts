/**
 * Every action the evidence ledger records: what happened, on which kind of object. `audit.append`
 * takes only these names, the regulator's and the evidence readers filter by them, and
 * docs/ledger.md is rendered from this list (`npm run docs:ledger`; a test keeps it in step).
 * A name is `object.verb` (or `object.part.verb`), lower case; it is read back by auditors, so a
 * name once written is never renamed.
 */
export interface LedgerActionSpec {
  /** The `object.type` its entries carry. */
  objects: readonly string[];
  summary: string;
}

export const ledgerActions = {
  'platform.bootstrap': {
    objects: ['organisation'],
    summary: 'The first operator organisation and user were created on an empty platform.',
  },
  'organisation.apply': {
    objects: ['organisation'],
    summary: 'An organisation applied to join the platform.',
  },
  'organisation.create': {
    objects: ['organisation'],
    summary: 'An operator created an organisation, active at once.',
  },

  'organisation.approve': {
    objects: ['organisation'],
    summary: 'An operator approved an organisation’s application.',
  },
  'organisation.reject': {
    objects: ['organisation'],
    summary: 'An operator rejected an organisation’s application.',
  },
  'organisation.suspend': { objects: ['organisation'], summary: 'An operator suspended an organisation.' },
  'organisation.update': {
    objects: ['organisation'],
    summary: 'An organisation’s profile (name, sector, description, website) changed.',
  },
  'organisation.location.verify': {
    objects: ['organisation'],
    summary: 'An operator verified where an organisation is located (for the cross-boundary gate).',
  },
  'user.create': { objects: ['user'], summary: 'A user account was created.' },
  'membership.create': { objects: ['user'], summary: 'A user became a member of an organisation.' },
  'membership.update': { objects: ['user'], summary: 'A member’s role changed.' },
  'membership.delete': { objects: ['user'], summary: 'A member left or was removed from an organisation.' },
  'invitation.create': { objects: ['invitation'], summary: 'An organisation invited someone by e-mail.' },
  'invitation.accept': { objects: ['invitation'], summary: 'An invitation was accepted.' },
  'invitation.revoke': { objects: ['invitation'], summary: 'An invitation was withdrawn before use.' },
  'session.create': { objects: ['identity-provider', 'session', 'user'], summary: 'A user signed in.' },
  'session.delete': { objects: ['session'], summary: 'A user signed out.' },
  'token.create': { objects: ['token'], summary: 'A personal access token was issued.' },
  'token.revoke': { objects: ['token'], summary: 'A personal access token was revoked.' },
  'identity-provider.create': {
    objects: ['identity-provider'],
    summary: 'An organisation added an OpenID Connect provider.',
  },
  'identity-provider.disable': {
    objects: ['identity-provider'],
    summary: 'An OpenID Connect provider was disabled.',
  },
  'identity-link.create': {
    objects: ['user'],
    summary: 'A provider account was linked to a platform user at its first sign-in.',
  },
  'api.create': { objects: ['api'], summary: 'A provider published an API.' },
  'api.update': { objects: ['api'], summary: 'An API’s description, visibility or upstream changed.' },
  'api.consent-requirement.set': {
    objects: ['api'],
    summary: 'An API began to require consent for calls about a subject.',
  },
  'api.consent-requirement.remove': { objects: ['api'], summary: 'An API stopped requiring consent.' },
  'api.version.create': { objects: ['api'], summary: 'A new version of an API was published.' },
  'api.version.deprecate': {
    objects: ['api'],
    summary: 'An API version was deprecated, with its sunset date.',
  },
  'api.version.sunset': {
    objects: ['api'],
    summary: 'An API version reached its sunset; the gateway refuses its calls.',
  },
  'plan.create': {
    objects: ['plan'],
    summary: 'A provider created a plan (limits, quota, approval) for an API.',
  },
  'plan.update': { objects: ['plan'], summary: 'A plan’s limits or terms changed.' },
  'plan.archive': { objects: ['plan'], summary: 'A plan was archived: no new subscriptions.' },
  'subscription.request': { objects: ['subscription'], summary: 'A consumer asked to subscribe to a plan.' },
  'subscription.approve': {
    objects: ['subscription'],
    summary: 'A subscription became active (approved, or a plan without approval).',
  },
  'subscription.reject': {
    objects: ['subscription'],
    summary: 'A provider rejected a subscription request.',
  },
  'subscription.suspend': {
    objects: ['subscription'],
    summary: 'A provider suspended an active subscription.',
  },
  'subscription.resume': {
    objects: ['subscription'],
    summary: 'A provider resumed a suspended subscription.',
  },
  'subscription.revoke': {
    objects: ['subscription'],
    summary: 'A subscription was ended for good by either side.',
  },
  'subscription.expire': { objects: ['subscription'], summary: 'A subscription reached its end date.' },
  'subscription.plan.change': {
    objects: ['subscription'],
    summary: 'A subscription moved to another plan of the same API (at once: the plan needs no approval).',
  },
  'subscription.plan.request': {
    objects: ['subscription'],
    summary: 'A consumer asked to move its subscription to a plan that needs the provider’s approval.',
  },
  'subscription.plan.approve': {
    objects: ['subscription'],
    summary: 'A provider approved a plan change: the subscription moved to the plan asked for.',
  },
  'subscription.plan.reject': {
    objects: ['subscription'],
    summary: 'A provider rejected a plan change: the subscription keeps its plan.',
  },
  'credential.create': {
    objects: ['credential'],
    summary: 'An API key or OAuth2 client was issued for a subscription.',
  },
  'credential.rotate': {
    objects: ['credential'],
    summary: 'A credential’s secret was rotated, the old one working for a grace period.',
  },
  'credential.revoke': { objects: ['credential'], summary: 'A credential was revoked.' },
  'oauth.token': { objects: ['credential'], summary: 'An access token was issued to an OAuth2 client.' },
  'oauth.signing-key.rotate': {
    objects: ['signing-key'],
    summary: 'The OAuth2 token signing key was rotated.',
  },
  'dataset.create': { objects: ['dataset'], summary: 'A provider created a dataset.' },
  'dataset.update': {
    objects: ['dataset'],
    summary: 'A dataset’s description, visibility or settings changed.',
  },
  'dataset.publish': { objects: ['dataset'], summary: 'A dataset was published to the catalogue.' },
  'dataset.version.create': {
    objects: ['dataset'],
    summary: 'A new version of a dataset’s data was uploaded or imported.',
  },
  'dataset.classification.confirm': {
    objects: ['dataset'],
    summary: 'A provider confirmed the columns’ classification (personal, sensitive).',
  },
  'dataset.default-terms': { objects: ['dataset'], summary: 'A dataset’s default terms template changed.' },
  'dataset.download': { objects: ['dataset'], summary: 'A dataset’s file was downloaded.' },
  'dataset.harvest.create': {
    objects: ['dataset'],
    summary: 'A harvest run added a dataset from another catalogue.',
  },
  'dataset.harvest.update': { objects: ['dataset'], summary: 'A harvest run updated a harvested dataset.' },
  'dataset.harvest.withdraw': {
    objects: ['dataset'],
    summary: 'A harvested dataset left its source catalogue and was withdrawn.',
  },
  'harvest.source.create': {
    objects: ['harvest-source'],
    summary: 'An organisation added a CKAN or DCAT source to harvest.',
  },
  'harvest.source.disable': { objects: ['harvest-source'], summary: 'A harvest source was disabled.' },
  'harvest.run': {
    objects: ['harvest-source'],
    summary: 'A harvest run finished, with what it added, changed and withdrew.',
  },
  'terms-template.create': { objects: ['terms-template'], summary: 'A provider created a terms template.' },
  'terms-template.update': { objects: ['terms-template'], summary: 'A terms template changed.' },
  'terms-template.delete': { objects: ['terms-template'], summary: 'A terms template was deleted.' },
  'access-request.create': {
    objects: ['access-request'],
    summary: 'A consumer asked for access to a dataset, with a purpose.',
  },
  'access-request.approve': {
    objects: ['access-request'],
    summary: 'A provider approved an access request, with the agreement’s terms.',
  },
  'access-request.reject': { objects: ['access-request'], summary: 'A provider rejected an access request.' },
  'access-request.withdraw': {
    objects: ['access-request'],
    summary: 'A consumer withdrew its access request.',
  },
  'agreement.create': {
    objects: ['agreement'],
    summary: 'An agreement (who may use which data, for what, under which terms) came into force.',
  },
  'agreement.revoke': { objects: ['agreement'], summary: 'An agreement was revoked.' },
  'agreement.expire': { objects: ['agreement'], summary: 'An agreement reached its end date.' },
  'agreement.review.endorse': {
    objects: ['agreement'],
    summary: 'A regulator endorsed an agreement over sensitive data.',
  },
  'agreement.review.object': {
    objects: ['agreement'],
    summary: 'A regulator objected to an agreement over sensitive data.',
  },
  'query.run': {
    objects: ['query'],
    summary: 'A governed query ran (or was refused) over granted datasets.',
  },
  'query.charge': {
    objects: ['agreement'],
    summary: 'A query’s differential-privacy cost was charged to an agreement’s budget.',
  },
  'query.refuse': {
    objects: ['query'],
    summary: 'A governed query was refused (the first refusal of a minute, with its reason).',
  },
  'query.refuse.summary': {
    objects: ['query'],
    summary:
      'The governed queries an organisation had refused within a minute, counted when the minute closed.',
  },

  'lab.create': { objects: ['lab'], summary: 'A clean room was created.' },
  'lab.dataset.attach': { objects: ['lab'], summary: 'A dataset was attached to a clean room.' },
  'lab.member.add': { objects: ['lab'], summary: 'A member joined a clean room.' },
  'lab.member.provision': { objects: ['lab'], summary: 'An approved access request gave a clean-room seat.' },
  'lab.member.end': { objects: ['lab'], summary: 'A clean-room seat ended.' },
  'lab.query': { objects: ['lab-query'], summary: 'A clean-room query ran.' },
  'lab.query.approve': {
    objects: ['lab-query'],
    summary: 'A provider released a clean-room query’s result.',
  },
  'lab.query.reject': {
    objects: ['lab-query'],
    summary: 'A provider refused to release a clean-room query’s result.',
  },
  'lab.query.charge': {
    objects: ['lab'],
    summary: 'A clean-room query’s differential-privacy cost was charged.',
  },
  'lab.query.refuse': {
    objects: ['lab'],
    summary: 'A clean-room query was refused (the first refusal of a minute, with its reason).',
  },
  'lab.query.refuse.summary': {
    objects: ['query'],
    summary:
      'The clean-room queries an organisation had refused within a minute, counted when the minute closed.',
  },
  'lab.job.charge': {
    objects: ['lab-job'],
    summary:
      'A training job was accepted and its ε charged to the lab budget (the spec’s hash, the data versions, ε and δ).',
  },
  'lab.job.refuse': {
    objects: ['lab'],
    summary:
      'A training job was refused before it was charged (the first refusal of a minute, with its reason and the spec’s hash).',
  },
  'lab.job.refuse.summary': {
    objects: ['query'],
    summary: 'The training jobs an organisation had refused within a minute, counted when the minute closed.',
  },
  'lab.job.succeed': {
    objects: ['lab-job'],
    summary: 'A training job finished and its model waits for output review.',
  },
  'lab.job.cancel': { objects: ['lab-job'], summary: 'A training job was cancelled.' },
  'lab.job.fail': {
    objects: ['lab-job'],
    summary: 'A running training job failed or was stopped at its time or memory cap (its ε stays spent).',
  },
  'lab.job.abandon': {
    objects: ['lab-job'],
    summary:
      'A queued or running training job was failed because the node running it stopped (its ε stays spent).',
  },
  'lab.model.approve': {
    objects: ['lab-model'],
    summary: 'A lab owner released a trained model after output review.',
  },
  'lab.twin.charge': {
    objects: ['lab-twin'],
    summary:
      'A synthetic twin of a lab dataset was accepted and its ε charged to the data owner’s budget for that dataset (the dataset version, ε and δ).',
  },
  'lab.twin.generate': {
    objects: ['lab-twin'],
    summary: 'A synthetic twin was generated (rows, the tree of column pairs, the privacy spent).',
  },
  'lab.twin.refuse': {
    objects: ['lab'],
    summary:
      'A synthetic twin was refused: the data owner’s ε budget for the dataset could not pay, or (the first refusal of a minute, with its code) the request was not allowed.',
  },
  'lab.twin.refuse.summary': {
    objects: ['query'],
    summary: 'The twin requests an organisation had refused within a minute, counted when the minute closed.',
  },
  'lab.twin.budget.set': {
    objects: ['lab'],
    summary:
      'A data owner set its ε budget for the synthetic twins of one of its lab datasets (the new and previous total).',
  },
  'lab.twin.download': {
    objects: ['lab-twin'],
    summary: 'A lab member downloaded a synthetic twin (CSV or Parquet).',
  },
  'lab.dataset.refresh': {
    objects: ['lab'],
    summary: 'A lab dataset’s pseudonymised copy was refreshed from the dataset’s new version.',
  },
  'lab.model.reject': {
    objects: ['lab-model'],
    summary: 'A lab owner refused to release a trained model after output review.',
  },
  'lab.model.publish': {
    objects: ['lab-model'],
    summary:
      'A lab owner published a released model as an API in the hub (its API, slug, first plan and visibility), served by the platform itself.',
  },
  'lab.model.unpublish': {
    objects: ['lab-model'],
    summary:
      'A lab owner unpublished a model: its API was retired at once and the gateway answers its calls with 410.',
  },

  'consent.create': { objects: ['consent'], summary: 'A data subject’s consent was recorded.' },
  'consent.import': { objects: ['consent-import'], summary: 'Consents were imported from a CSV file.' },
  'consent.revoke': { objects: ['consent'], summary: 'A data subject’s consent was revoked.' },
  'consent.receipt': {
    objects: ['consent-subject'],
    summary: 'A consent receipt was issued to the data subject.',
  },
  'deletion-request.create': {
    objects: ['deletion-request'],
    summary: 'A revoked consent asked a grantee to delete the subject’s data.',
  },
  'deletion-request.confirm': { objects: ['deletion-request'], summary: 'A grantee confirmed the deletion.' },
  'deletion-request.escalate': {
    objects: ['deletion-request'],
    summary: 'A deletion request passed its deadline and went to the regulator.',
  },
  'transfer.create': { objects: ['transfer'], summary: 'A cross-boundary transfer was registered.' },
  'transfer.assessment.record': {
    objects: ['transfer'],
    summary: 'A transfer’s personal-information impact assessment was recorded.',
  },
  'transfer.contract.sign': { objects: ['transfer'], summary: 'A transfer’s standard contract was signed.' },
  'transfer.submit': { objects: ['transfer'], summary: 'A transfer was submitted for review.' },
  'transfer.review.start': { objects: ['transfer'], summary: 'A reviewer started reviewing a transfer.' },
  'transfer.review.approve': { objects: ['transfer'], summary: 'A reviewer approved a transfer.' },
  'transfer.review.reject': { objects: ['transfer'], summary: 'A reviewer rejected a transfer.' },
  'transfer.file': { objects: ['transfer'], summary: 'An approved transfer was filed with the authority.' },
  'transfer.revoke': { objects: ['transfer'], summary: 'A transfer was revoked.' },
  'transfer.gate': { objects: ['dataset'], summary: 'The cross-boundary gate refused a flow.' },
  'transfer.suspend': { objects: ['transfer'], summary: 'A cross-boundary transfer was suspended.' },
  'transfer.expire': { objects: ['transfer'], summary: 'A cross-boundary transfer reached its end date.' },
  'sharing.recipient.create': {
    objects: ['recipient'],
    summary: 'A Delta Sharing recipient was created for an agreement.',
  },
  'sharing.recipient.revoke': { objects: ['recipient'], summary: 'A Delta Sharing recipient was revoked.' },
  'sharing.query': { objects: ['dataset'], summary: 'A Delta Sharing client read a table’s files.' },
  'webhook.create': { objects: ['webhook'], summary: 'An organisation registered a webhook.' },
  'webhook.delete': { objects: ['webhook'], summary: 'A webhook was deleted.' },
  'webhook.rotate-secret': {
    objects: ['webhook'],
    summary: "A webhook's signing secret was replaced; deliveries from then on are signed with the new one.",
  },
  'wish.create': { objects: ['wish'], summary: 'Someone posted a wish for data on the wish board.' },
  'wish.respond': { objects: ['wish'], summary: 'A provider answered a wish with a dataset.' },
  'wish.close': { objects: ['wish'], summary: 'A wish was closed.' },
  'declaration.apply': {
    objects: ['declaration-apply'],
    summary: 'A declaration file was applied: what it created, changed and deleted.',
  },
  'gateway.calls.commit': {
    objects: ['call-batch'],
    summary: 'A batch of gateway calls was metered, with its Merkle root.',
  },
  'evidence.bundle.export': {
    objects: ['evidence-bundle'],
    summary: 'An evidence bundle (ledger entries with their proofs) was exported.',
  },
} as const satisfies Record<string, LedgerActionSpec>;

export type LedgerAction = keyof typeof ledgerActions;

export const ledgerActionNames = Object.keys(ledgerActions) as LedgerAction[];

export function isLedgerAction(name: string): name is LedgerAction {
  return Object.hasOwn(ledgerActions, name);
}
