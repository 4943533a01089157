/** Shapes of the community and regulator API answers, as the route files declare them. */

export type WishStatus = 'open' | 'answered' | 'closed';
export type WishSort = 'votes' | 'recent';

export interface Wish {
  id: string;
  title: string;
  description: string;
  tags: string[];
  status: WishStatus;
  orgId: string;
  orgName: string;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  votes: number;
  votedByMe: boolean;
  followedByMe: boolean;
  responseCount: number;
}

export interface WishResponse {
  id: string;
  orgId: string;
  orgName: string;
  message: string;
  target: { type: 'dataset' | 'api'; id: string; name: string };
  createdBy: string;
  createdAt: string;
}

export interface WishDetail extends Wish {
  responses: WishResponse[];
}

export const directoryRoles = ['data-partner', 'tech-company', 'regulatory-advisor'] as const;
export type DirectoryRole = (typeof directoryRoles)[number];

export interface DirectoryEntry {
  id: string;
  slug: string;
  name: string;
  roles: DirectoryRole[];
  kinds: string[];
  sector: string | null;
  location: string | null;
  description: string | null;
  website: string | null;
  apiCount: number;
  datasetCount: number;
  followers: number;
  followedByMe: boolean;
}

export interface DirectoryProfile extends DirectoryEntry {
  apis: { id: string; name: string; description: string | null }[];
  datasets: { id: string; title: string; description: string | null; isOpen: boolean }[];
}

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  objectType: string | null;
  objectId: string | null;
  readAt: string | null;
  createdAt: string;
}

/** Who the ids on a page of the ledger are (display only; the entries keep their ids). */
export interface LedgerNames {
  people: Record<string, { name: string; organisations: { id: string; name: string }[] }>;
  organisations: Record<string, string>;
}

export interface LedgerEntry {
  seq: number;
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  orgId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  decision: string;
  reason: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface ChainVerdict {
  ok: boolean;
  count: number;
  headSeq?: number;
  headHash?: string;
  brokenSeq?: number;
  problem?: string;
  detail?: string;
}

export const transferStates = [
  'draft',
  'submitted',
  'under-review',
  'approved',
  'rejected',
  'filed',
  'suspended',
  'expired',
  'revoked',
] as const;
export type TransferState = (typeof transferStates)[number];

export interface Transfer {
  id: string;
  providerOrgId: string;
  recipientOrgId: string;
  providerLocation: string;
  recipientLocation: string;
  datasetIds: string[];
  apiIds: string[];
  dataCategories: string[];
  volume: string;
  purpose: string;
  filingDueOn: string | null;
  filedOn: string | null;
  expiresAt: string;
  state: TransferState;
  currentState: TransferState;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Review {
  id: string;
  objectType: string;
  objectId: string;
  regulatorOrgId: string;
  decision: 'endorse' | 'object';
  reason: string;
  decidedBy: string;
  createdAt: string;
}

interface Party {
  id: string;
  name: string | null;
}

export interface QueuedAgreement {
  id: string;
  dataset: { id: string; title: string };
  provider: Party;
  consumer: Party;
  purpose: string;
  purposeText: string;
  actions: string[];
  columns: { name: string; classification: string | null; mask: string | null }[];
  sensitiveColumns: string[];
  masks: Record<string, unknown>;
  aggregateOnly: boolean;
  expiresAt: string;
  createdAt: string;
  latestReview: Review | null;
}

export interface QueuedTransfer {
  id: string;
  state: TransferState;
  provider: Party & { location: string };
  recipient: Party & { location: string };
  datasetIds: string[];
  dataCategories: string[];
  volume: string;
  purpose: string;
  filingDueOn: string | null;
  expiresAt: string;
  updatedAt: string;
}

export interface ReviewQueue {
  agreements: QueuedAgreement[];
  transfers: QueuedTransfer[];
}
