import { type Location, locations } from '../identity/schema.js';
import type { TransferState } from './schema.js';
import type { Transfer } from './service.js';

/**
 * The cross-boundary rule itself, free of the database, so the governed query engine (through
 * TransferService.check) and the gateway's hot path (through its snapshot) apply the same one.
 */

export type Jurisdiction = 'hong-kong' | 'macao' | 'mainland-gba' | 'elsewhere';

/** The nine Mainland cities of the Greater Bay Area: every verified location but these three. */
const mainlandGba: readonly Location[] = locations.filter(
  (location) => location !== 'hong-kong' && location !== 'macao' && location !== 'elsewhere',
);

export function jurisdictionOf(location: Location): Jurisdiction {
  if (location === 'hong-kong' || location === 'macao' || location === 'elsewhere') return location;
  return mainlandGba.includes(location) ? 'mainland-gba' : 'elsewhere';
}

/** Cross-boundary: the two parties' verified locations lie in different jurisdictions, either direction. */
export function isCrossBoundary(a: Location, b: Location): boolean {
  return jurisdictionOf(a) !== jurisdictionOf(b);
}

/** Why personal data may not flow, in the terms of the problem the exit answers with. */
export interface TransferRefusal {
  code: 'location-unverified' | 'transfer-not-permitted' | 'transfer-required';
  detail: string;
  /** The `missingStep` extension of the problem. */
  missingStep: string;
  transferId?: string | null;
}

/**
 * The part of the gate that the two parties' verified locations decide alone: a refusal, no
 * boundary to cross, or a boundary that only a transfer in force lets personal data cross.
 */
export function boundaryBetween(
  from: Location | null | undefined,
  to: Location | null | undefined,
): TransferRefusal | 'same-jurisdiction' | 'cross-boundary' {
  if (!from || !to) {
    return {
      code: 'location-unverified',
      detail: 'personal data is released only between organisations whose locations an operator has verified',
      missingStep: 'location-verification',
    };
  }
  if (!isCrossBoundary(from, to)) return 'same-jurisdiction';
  if (jurisdictionOf(to) === 'elsewhere' || jurisdictionOf(from) === 'elsewhere') {
    return {
      code: 'transfer-not-permitted',
      detail: `personal data does not leave for ${to} by this route: the GBA standard contract covers Hong Kong, Macao and the nine Mainland GBA cities`,
      missingStep: 'recipient-outside-gba',
    };
  }
  return 'cross-boundary';
}

/** What is still missing before a transfer can be submitted, in the order the steps come. */
export function missingSubmissionSteps(row: Transfer): string[] {
  const missing: string[] = [];
  if (!row.impactAssessment)
    missing.push('the sender has not recorded a personal-information impact assessment');
  if (!row.providerSignedAt) missing.push('the sender has not signed the standard contract');
  if (!row.recipientSignedAt) missing.push('the recipient has not signed the standard contract');
  if (!row.noOnwardTransfer)
    missing.push('the recipient has not committed to no onward transfer outside the GBA');
  return missing;
}

/** The step a flow misses while its latest transfer is in `state` (anything but approved or filed). */
export function stepMissedBy(row: Transfer, state: TransferState): { missingStep: string; detail: string } {
  switch (state) {
    case 'draft': {
      const missing = missingSubmissionSteps(row);
      return {
        missingStep: 'submission',
        detail: `transfer ${row.id} is a draft: ${missing.join('; ') || 'submit it for review'}`,
      };
    }
    case 'submitted':
    case 'under-review':
      return {
        missingStep: 'regulator-approval',
        detail: `transfer ${row.id} awaits a regulator's decision`,
      };
    case 'rejected':
      return { missingStep: 'transfer', detail: `transfer ${row.id} was rejected: ${row.reason ?? ''}` };
    case 'suspended':
      return {
        missingStep: 'filing',
        detail: `transfer ${row.id} is suspended: the filing was due on ${row.filingDueOn}`,
      };
    case 'expired':
      return { missingStep: 'transfer', detail: `transfer ${row.id} has expired` };
    default:
      return { missingStep: 'transfer', detail: `transfer ${row.id} is ${state}` };
  }
}

/**
 * One flow of personal data through one API (sender → recipient) as the gateway's snapshot holds
 * it, for flows that some transfer covers. A transfer in force stops being so by time alone (its
 * end, or a filing deadline passing unfiled); `inForceUntilMs` is that instant, checked against the
 * clock on every call, so a deadline takes effect at once, without a change event or a reload.
 */
export interface ApiTransferFlow {
  /** Epoch ms until which a transfer in force covers the flow; 0 when none is in force. */
  inForceUntilMs: number;
  /** What a refusal names once none is in force: the step the governing transfer misses then. */
  lapsed: { missingStep: string; detail: string; transferId: string };
}

/** The cross-boundary gate as the gateway holds it in its snapshot. */
export interface TransferGate {
  /** The APIs whose calls carry personal data: only these are gated. */
  personalDataApis: Set<string>;
  /** Verified locations of those APIs' providers and subscribers; an organisation absent is unverified. */
  locations: Map<string, Location>;
  /** By apiFlowKey; a flow no transfer covers is absent. */
  flows: Map<string, ApiTransferFlow>;
}

export const apiFlowKey = (providerOrgId: string, recipientOrgId: string, apiId: string) =>
  `${providerOrgId} ${recipientOrgId} ${apiId}`;

/**
 * Why a gateway call must be refused, or null when it may go: calls to an API that carries personal
 * data between two organisations in different jurisdictions need a transfer covering that API in
 * force now. Same-jurisdiction calls, and an organisation calling its own API, pass untouched.
 */
export function apiTransferRefusal(
  gate: TransferGate,
  call: { apiId: string; providerOrgId: string; recipientOrgId: string },
  nowMs: number,
): TransferRefusal | null {
  if (!gate.personalDataApis.has(call.apiId) || call.providerOrgId === call.recipientOrgId) return null;
  const from = gate.locations.get(call.providerOrgId);
  const to = gate.locations.get(call.recipientOrgId);
  const boundary = boundaryBetween(from, to);
  if (boundary === 'same-jurisdiction') return null;
  if (boundary !== 'cross-boundary') return boundary;
  const flow = gate.flows.get(apiFlowKey(call.providerOrgId, call.recipientOrgId, call.apiId));
  if (flow && nowMs < flow.inForceUntilMs) return null;
  const prefix = `${from} → ${to} is a cross-boundary flow of personal data: `;
  if (!flow) {
    return {
      code: 'transfer-required',
      detail: `${prefix}no transfer covers this API; the parties must start one (POST /v1/transfers)`,
      missingStep: 'transfer',
      transferId: null,
    };
  }
  return {
    code: 'transfer-required',
    detail: prefix + flow.lapsed.detail,
    missingStep: flow.lapsed.missingStep,
    transferId: flow.lapsed.transferId,
  };
}
