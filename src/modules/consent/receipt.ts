import { createHash } from 'node:crypto';
import type { Purpose } from '../access/schema.js';
import type { Classification } from '../catalog/schema.js';
import type { Location } from '../identity/schema.js';

/**
 * Consent receipts in the shape of the Kantara Initiative Consent Receipt Specification 1.1.0
 * (KI-CR-v1.1.0, https://kantarainitiative.org/download/consent-receipt-specification/): what a
 * data subject can keep as a record of what they agreed to, with whom, for what, until when. One
 * receipt covers one subject at one provider (the PII controller); each consent is a purpose of a
 * service, and the platform's own facts (consent id, state, dates, evidence) ride along in each
 * purpose, since a receipt handed out later must also say when a consent ended.
 */

export const receiptVersion = 'KI-CR-v1.1.0';

/**
 * The purposes vocabulary (access/schema.ts) as the nearest concept of the W3C Data Privacy
 * Vocabulary (https://w3c.github.io/dpv/dpv/#vocab-purposes), given as the purpose category.
 */
const purposeCategories: Record<Purpose, string> = {
  research: 'dpv:ResearchAndDevelopment',
  'product-development': 'dpv:ResearchAndDevelopment',
  'service-provision': 'dpv:ServiceProvision',
  'credit-assessment': 'dpv:CreditChecking',
  'fraud-prevention': 'dpv:FraudPreventionAndDetection',
  'insurance-underwriting': 'dpv:EstablishContractualAgreement',
  'public-health': 'dpv:ImproveHealthcare',
  'urban-planning': 'dpv:ImprovePublicServices',
  'sustainability-reporting': 'dpv:CombatClimateChange',
  'regulatory-compliance': 'dpv:LegalCompliance',
  statistics: 'dpv:ResearchAndDevelopment',
  marketing: 'dpv:Marketing',
};

/** The law the controller answers to, from its verified location (ISO 3166 codes). */
function jurisdictionOf(location: Location | null): string {
  if (location === 'hong-kong') return 'HK';
  if (location === 'macao') return 'MO';
  if (location === null || location === 'elsewhere') return 'unverified';
  // The nine Mainland cities of the Greater Bay Area are all in Guangdong.
  return 'CN-GD';
}

export interface ReceiptConsent {
  id: string;
  purpose: Purpose;
  granteeOrgId: string | null;
  datasetIds: string[];
  apiIds: string[];
  grantedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  evidence: string | null;
  importId: string | null;
  state: 'live' | 'expired' | 'revoked';
}

/** A dataset or API a consent can name, with its personal columns (datasets only). */
export interface ReceiptItem {
  id: string;
  kind: 'dataset' | 'api';
  title: string;
  columns: { name: string; classification: Classification }[];
}

export interface ReceiptInput {
  controller: { id: string; name: string; website: string | null; location: Location | null };
  subjectKey: string;
  consents: ReceiptConsent[];
  /** The items consents name, by id. */
  items: Map<string, ReceiptItem>;
  /** The controller's consent-required datasets and APIs: what a consent naming none covers. */
  consentRequiredItems: ReceiptItem[];
  granteeNames: Map<string, string>;
  /** Where the platform serves the controller's page, for `policyUrl` when it names no website. */
  directoryUrl: string;
}

export interface ReceiptPurpose {
  purpose: string;
  purposeCategory: string[];
  consentType: 'EXPLICIT';
  piiCategory: string[];
  primaryPurpose: boolean;
  termination: string;
  thirdPartyDisclosure: boolean;
  thirdPartyName: string;
  consentId: string;
  state: ReceiptConsent['state'];
  grantedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  evidence: string | null;
}

export interface ConsentReceipt {
  version: typeof receiptVersion;
  jurisdiction: string;
  /** Seconds since 1970-01-01T00:00:00Z (§ 4.3.3): the latest consent given among those listed. */
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language: 'en';
  piiPrincipalId: string;
  piiControllers: {
    piiController: string;
    onBehalf: boolean;
    contact: string;
    piiControllerUrl: string | null;
  }[];
  policyUrl: string;
  services: { service: string; purposes: ReceiptPurpose[] }[];
  sensitive: boolean;
  spiCat: string[];
}

/** A UUID (version 8, RFC 9562 §5.8) from a SHA-256: the same receipt content gives the same id. */
function contentUuid(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function termination(consent: ReceiptConsent, controller: string): string {
  if (consent.revokedAt) {
    return `Revoked on ${consent.revokedAt.toISOString()}${consent.revokeReason ? `: ${consent.revokeReason}` : ''}.`;
  }
  const ask = `the data subject may withdraw it at any time by asking ${controller}`;
  if (!consent.expiresAt) return `Until withdrawn: ${ask}.`;
  const verb = consent.state === 'expired' ? 'Expired' : 'Expires';
  return `${verb} on ${consent.expiresAt.toISOString()}; ${ask}.`;
}

/** Builds the receipt for one subject. The consents must be the subject's at this controller. */
export function consentReceipt(input: ReceiptInput): ConsentReceipt {
  const { controller } = input;
  const consents = [...input.consents].sort((a, b) => a.id.localeCompare(b.id));
  const allItemsTitle = `All consent-required datasets and APIs of ${controller.name}`;
  const services = new Map<string, { service: string; purposes: ReceiptPurpose[] }>();
  const sensitiveColumns = new Set<string>();
  for (const consent of consents) {
    const named = [...consent.datasetIds, ...consent.apiIds];
    const covered =
      named.length === 0
        ? input.consentRequiredItems
        : named.flatMap((id) => {
            const item = input.items.get(id);
            return item ? [item] : [];
          });
    const title =
      named.length === 0 ? allItemsTitle : named.map((id) => input.items.get(id)?.title ?? id).join('; ');
    const piiCategory = [
      ...new Set(
        covered.flatMap((item) =>
          item.columns
            .filter((column) => column.classification !== 'public' && column.classification !== 'internal')
            .map((column) => `${item.title}: ${column.name} (${column.classification})`),
        ),
      ),
    ];
    for (const item of covered) {
      for (const column of item.columns) {
        if (column.classification === 'sensitive') sensitiveColumns.add(`${item.title}: ${column.name}`);
      }
    }
    const service = services.get(title) ?? { service: title, purposes: [] };
    services.set(title, service);
    service.purposes.push({
      purpose: consent.purpose,
      purposeCategory: [purposeCategories[consent.purpose]],
      consentType: 'EXPLICIT',
      piiCategory: piiCategory.length > 0 ? piiCategory : ['as described by the service'],
      // The data was collected for the controller's own service; disclosure to others is secondary.
      primaryPurpose: false,
      termination: termination(consent, controller.name),
      thirdPartyDisclosure: true,
      thirdPartyName: consent.granteeOrgId
        ? (input.granteeNames.get(consent.granteeOrgId) ?? consent.granteeOrgId)
        : `Any organisation holding an agreement with ${controller.name} for ${consent.purpose} on STP Platform`,
      consentId: consent.id,
      state: consent.state,
      grantedAt: consent.grantedAt.toISOString(),
      expiresAt: consent.expiresAt?.toISOString() ?? null,
      revokedAt: consent.revokedAt?.toISOString() ?? null,
      evidence: consent.evidence,
    });
  }
  const methods = new Set(consents.map((consent) => (consent.importId ? 'a CSV import' : 'its API')));
  const latest = Math.max(...consents.map((consent) => consent.grantedAt.getTime()));
  const body: Omit<ConsentReceipt, 'consentReceiptID'> = {
    version: receiptVersion,
    jurisdiction: jurisdictionOf(controller.location),
    consentTimestamp: Math.floor(latest / 1000),
    collectionMethod:
      `Collected by ${controller.name}, which keeps the evidence of each consent, and registered on ` +
      `STP Platform through ${[...methods].sort().join(' and ')}`,
    language: 'en',
    piiPrincipalId: input.subjectKey,
    piiControllers: [
      {
        piiController: controller.name,
        onBehalf: false,
        contact: controller.name,
        piiControllerUrl: controller.website,
      },
    ],
    policyUrl: controller.website ?? input.directoryUrl,
    services: [...services.values()],
    sensitive: sensitiveColumns.size > 0,
    spiCat: [...sensitiveColumns],
  };
  // The id names this content: the same consents in the same state always give the same receipt.
  const { version, jurisdiction, consentTimestamp, collectionMethod, ...rest } = body;
  const consentReceiptID = contentUuid(JSON.stringify(body));
  return { version, jurisdiction, consentTimestamp, collectionMethod, consentReceiptID, ...rest };
}
