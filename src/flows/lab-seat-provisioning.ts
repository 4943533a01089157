import type { Provisioning } from '../modules/access/agreements.js';
import type { LabService } from '../modules/lab/service.js';

/**
 * Approval provisions; revocation takes away. An access request may name a lab the dataset is
 * attached to: approving it gives the consumer a researcher's seat in that lab, ending when the
 * agreement ends (the per-second sweep ends it), in the approval's transaction — if the seat cannot
 * be written, the approval is rolled back with it and nothing is granted. Revoking the agreement
 * ends the seats it gave in the revocation's transaction, each with its ledger entry and its
 * `lab.access-ended` event. A seat the lab owner gave by hand is not the agreement's and is left alone.
 */
/** `labs` is asked for on use: the lab service is built after the agreements it provisions from. */
export function labSeatProvisioning(labsOf: () => LabService): Provisioning {
  return {
    checkRequest: ({ datasetId, labId }) => labsOf().checkSeatRequest(labId, datasetId),
    onApproved: async (tx, request, agreement) => {
      if (!request.labId) return;
      await labsOf().grantSeat(tx, {
        labId: request.labId,
        orgId: request.orgId,
        agreementId: agreement.id,
        endsAt: new Date(agreement.terms.expiresAt),
        grantedBy: agreement.approvedBy,
      });
    },
    onRevoked: async (tx, agreement, reason) => {
      await labsOf().endSeatsOf(tx, agreement.id, `the agreement ${agreement.id} was revoked: ${reason}`);
    },
  };
}
