// The conformance suite against a real etcd (v3.4, the Debian binary) started for this file.
// Cases share the one server: each uses its own key space and relative revisions.
import { after, before } from 'node:test';
import { openBackend } from '../open.js';
import { etcdSkipReason, startEtcd, type EtcdServer } from '../etcd/testing/etcd-server.js';
import { conformance } from './suite.js';

const skip = etcdSkipReason();
let server: EtcdServer | undefined;
before(async () => {
  if (!skip) server = await startEtcd();
});
after(async () => server?.stop());

conformance('etcd', () => openBackend(server!.url), { skip });
