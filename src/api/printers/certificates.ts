// certificates.k8s.io/v1 CertificateSigningRequest, after upstream printCertificateSigningRequest (1.32).
import type { TablePrinter } from './types.js';
import { humanDuration } from './duration.js';
import { ageCol, col, nameCol, objAge, objName, str } from './columns.js';

/** extractCSRStatus: Denied over Approved over Pending, then `,Failed` and `,Issued` suffixes. */
export function csrCondition(csr: any): string {
  const types = new Set((csr?.status?.conditions ?? []).map((c: any) => c?.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (str(csr?.status?.certificate).length > 0) status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  // Upstream puts Age second for CSRs.
  columns: [
    nameCol(),
    ageCol(),
    col('SignerName', 'string', 'The signer asked to sign the request.'),
    col('Requestor', 'string', 'The user who created the request.'),
    col('RequestedDuration', 'string', 'The certificate lifetime asked for.'),
    col('Condition', 'string', 'Approval and issuance state.'),
  ],
  cells(csr, now) {
    const spec = csr?.spec ?? {};
    const secs = spec.expirationSeconds;
    return [
      objName(csr),
      objAge(csr, now),
      str(spec.signerName) || '<none>',
      str(spec.username),
      secs != null ? humanDuration(Number(secs) * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
};
