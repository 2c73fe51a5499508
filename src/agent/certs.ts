// The kubelet's serving certificate when the server did not issue one: signed by a CA the node
// makes for itself (the API server does not verify kubelet certificates by default, as upstream's
// --kubelet-certificate-authority is unset), valid for the node name and its addresses.
import { networkInterfaces } from 'node:os';
import { createCa, signLeaf } from '../apiserver/pki/index.js';

export async function kubeletServingCert(nodeName: string): Promise<{ certPem: string; keyPem: string }> {
  const ca = await createCa(`${nodeName}-ca`, 3650);
  const ips = ['127.0.0.1', ...Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address)];
  return signLeaf(ca, { commonName: nodeName, usage: 'server', dnsNames: [nodeName, 'localhost'], ips, validityDays: 365 });
}
