// @serial: runs a real node agent and programs the host's service proxy (iptables / AnyIP route)
// Issue 8's acceptance end to end, once per proxy mode: `skiff server` with its node agent, the
// service proxy and cluster DNS, driven by the real kubectl 1.32. A 3-replica Deployment behind
// Services; a client pod reaches it by name (FQDN and search path), with and without session
// affinity; the NodePort answers on the node address; a headless Service, SRV, PTR and an
// ExternalName answer through `dig`; a UDP Service carries DNS to a dnsmasq pod; scaling to zero
// makes connections fail at once. Root only (pods need network namespaces; the proxy needs root).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { eventually, httpGet, kubectl, kubectlOk, missingKubectl, skiffSync, startServer, type RunningServer } from './harness.js';
import { firstIPv4 } from '../../src/kubelet/node/host.js';

function missing(): string | undefined {
  const why = process.getuid?.() !== 0 ? 'needs root (pod network namespaces, iptables, routes)'
    : spawnSync('dig', ['-v']).error ? 'needs dig (Debian dnsutils)'
      : spawnSync('busybox', ['true']).error ? 'needs busybox (Debian busybox-static)'
        : spawnSync('dnsmasq', ['--version']).error ? 'needs dnsmasq (Debian dnsmasq-base)' : undefined;
  if (why && process.env.CI === 'true') throw new Error(why);
  return why;
}

const skip = missingKubectl() ?? missing();
const NS = 'svc-e2e';

function manifests(): string {
  const labels = { app: 'web' };
  const sh = (script: string) => ['sh', '-c', script];
  const svc = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec });
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 3, selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 2,
            volumes: [{ name: 'www', emptyDir: {} }],
            containers: [{
              name: 'httpd', image: 'local', ports: [{ name: 'http', containerPort: 8080 }],
              volumeMounts: [{ name: 'www', mountPath: '/www' }],
              command: sh('hostname > /www/index.html && exec busybox httpd -f -p 8080 -h /www'),
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
            }],
          },
        },
      },
    },
    svc('web', { type: 'NodePort', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    svc('web-sticky', { selector: labels, sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 8080 }] }),
    svc('web-headless', { clusterIP: 'None', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
    svc('ext', { type: 'ExternalName', externalName: 'db.example.org' }),
    svc('web-lb', { type: 'LoadBalancer', selector: labels, ports: [{ port: 8081, targetPort: 8080 }] }),
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dnsd', namespace: NS, labels: { app: 'dnsd' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'dnsmasq', image: 'local', command: ['dnsmasq', '-k', '-p', '5353', '--no-resolv', '--no-hosts', '--pid-file=', '-u', 'root', '--address=/udp.test/10.9.8.7'] }],
      },
    },
    svc('udp-dns', { selector: { app: 'dnsd' }, ports: [{ name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' }] }),
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: NS },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'sh', image: 'local', command: ['sleep', '3600'] }] },
    },
  ];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** Removes what a proxy mode left on the host (rules and routes stay after a stop, as upstream). */
function cleanupProxy(mode: string): void {
  const r = skiffSync(['proxy', '--cleanup', '--proxy-mode', mode]);
  if (r.code !== 0) throw new Error(`skiff proxy --cleanup --proxy-mode ${mode} failed:\n${r.stderr}`);
}

for (const mode of ['iptables', 'userspace'] as const) {
  describe(`Services and cluster DNS (${mode} proxy mode)`, { skip, timeout: 240_000 }, () => {
    let srv: RunningServer;
    const ok = (args: string[]) => kubectlOk(srv, args);
    const exec = (script: string) => kubectl(srv, ['-n', NS, 'exec', 'client', '--', 'sh', '-c', script]);
    const podNames = () => ok(['-n', NS, 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').filter(Boolean).sort();
    const readyEndpoints = (svc: string) => ok(['-n', NS, 'get', 'endpointslices', '-l', `kubernetes.io/service-name=${svc}`, '-o', 'jsonpath={.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}']).split(' ').filter(Boolean);
    const hits = (url: string, n: number) => exec(`for i in $(seq ${n}); do wget -qO- -T 3 -t 1 ${url}; done`).stdout.split('\n').filter(Boolean);

    before(async () => {
      cleanupProxy(mode === 'iptables' ? 'userspace' : 'iptables');
      // Listening on every address, as pods need to reach the API server behind `kubernetes`.
      srv = await startServer(['--kubelet-port', '0', '--proxy-mode', mode, '--bind-address', '0.0.0.0'], { timeoutMs: 60_000 });
      assert.match(srv.output(), new RegExp(`service proxy running[^\n]*"mode":"${mode}"`));
      kubectlOk(srv, ['apply', '-f', '-'], { input: manifests() });
      await eventually(() => podNames().length === 3 && readyEndpoints('web').length === 3, 'three ready web endpoints', 60_000);
      await eventually(() => ok(['-n', NS, 'get', 'pods', 'client', 'dnsd', '-o', 'jsonpath={.items[*].status.phase}']) === 'Running Running', 'client and dnsd running', 30_000);
    });
    after(async () => {
      await srv?.stop();
    });

    it('30 requests by FQDN and by the search path reach all three pods', async () => {
      const pods = podNames();
      for (const url of [`http://web.${NS}.svc.cluster.local`, 'http://web']) {
        // The slices may be ahead of the proxy by its minimum sync period (1 s): wait for a round in
        // which all three answer, but accept no answer from anything else.
        const got = await eventually(() => {
          const h = hits(url, 30);
          for (const name of h) assert.ok(pods.includes(name), `unexpected answer ${name}`);
          return h.length === 30 && new Set(h).size === pods.length ? h : undefined;
        }, `30 answers from all three pods via ${url}`, 20_000);
        assert.deepEqual([...new Set(got)].sort(), pods, `${url} reached ${JSON.stringify([...new Set(got)])}`);
      }
    });

    it('sessionAffinity ClientIP sends every request to one pod', async () => {
      const got = hits('http://web-sticky', 30);
      assert.equal(got.length, 30);
      assert.equal(new Set(got).size, 1, JSON.stringify(got));
    });

    it('the NodePort answers on the node address', async () => {
      const nodePort = Number(ok(['-n', NS, 'get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
      assert.ok(nodePort >= 30000 && nodePort <= 32767);
      const pods = podNames();
      const seen = new Set<string>();
      for (let i = 0; i < 12; i++) seen.add((await httpGet(firstIPv4(), nodePort)).body.trim());
      for (const s of seen) assert.ok(pods.includes(s), `unexpected answer ${s}`);
      assert.ok(seen.size >= 2, `NodePort traffic is balanced (${[...seen].join(', ')})`);
    });

    it('a LoadBalancer Service gets the node address and answers on it', async () => {
      const nodeIP = firstIPv4();
      await eventually(() => ok(['-n', NS, 'get', 'svc', 'web-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}']) === nodeIP, 'the node address in status.loadBalancer', 20_000);
      const answer = await eventually(async () => podNames().includes(await httpGet(nodeIP, 8081).then((r) => r.body.trim(), () => '')), 'an answer on the load balancer address', 20_000);
      assert.ok(answer);
      assert.match(ok(['-n', NS, 'get', 'svc', 'web-lb']), new RegExp(`web-lb\\s+LoadBalancer\\s+\\S+\\s+${nodeIP.replace(/\./g, '\\.')}\\s+8081:`));
    });

    it('DNS: headless A records, SRV, PTR, ExternalName CNAME (dig through kube-dns)', async () => {
      const ips = ok(['-n', NS, 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}']).split(' ').sort();
      const dig = (q: string) => { const r = exec(`dig +short +time=2 +tries=2 ${q}`); assert.equal(r.code, 0, r.stderr); return r.stdout.trim().split('\n').filter(Boolean); };
      assert.deepEqual(dig(`web-headless.${NS}.svc.cluster.local`).sort(), ips);
      const clusterIP = ok(['-n', NS, 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
      assert.deepEqual(dig(`web.${NS}.svc.cluster.local`), [clusterIP]);
      assert.deepEqual(dig(`SRV _http._tcp.web.${NS}.svc.cluster.local`).map((l) => l.split(' ').slice(2).join(' ')), [`80 web.${NS}.svc.cluster.local.`]);
      assert.equal(dig(`SRV _http._tcp.web-headless.${NS}.svc.cluster.local`).length, 3);
      assert.deepEqual(dig(`-x ${clusterIP}`), [`web.${NS}.svc.cluster.local.`]);
      assert.deepEqual(dig(`CNAME ext.${NS}.svc.cluster.local`), ['db.example.org.']);
      const resolv = exec('cat /etc/resolv.conf').stdout;
      assert.match(resolv, /nameserver 10\.43\.0\.10/);
      assert.match(resolv, new RegExp(`search ${NS}\\.svc\\.cluster\\.local svc\\.cluster\\.local cluster\\.local`));
    });

    it('a pod reaches the API server through the kubernetes Service', async () => {
      const r = exec('wget -qO- -T 5 -t 1 --no-check-certificate https://kubernetes.default.svc/version');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /"gitVersion": ?"v1\./);
      assert.equal(ok(['get', 'endpointslice', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.endpoints[0].addresses[0]}']), firstIPv4());
    });

    it('a UDP Service carries DNS to a dnsmasq pod through its ClusterIP', async () => {
      const ip = ok(['-n', NS, 'get', 'svc', 'udp-dns', '-o', 'jsonpath={.spec.clusterIP}']);
      const answer = await eventually(() => { const r = exec(`dig +short +time=2 +tries=1 @${ip} udp.test`); return r.stdout.trim() || undefined; }, 'an answer from dnsmasq', 20_000);
      assert.equal(answer, '10.9.8.7');
    });

    it('scaling to zero makes connections fail at once', async () => {
      ok(['-n', NS, 'scale', 'deployment', 'web', '--replicas=0']);
      await eventually(() => readyEndpoints('web').length === 0 && podNames().length === 0, 'no web endpoints', 30_000);
      let last = '';
      await eventually(() => {
        const r = exec('s=$(date +%s%N); wget -qO- -T 10 -t 1 http://web; echo "rc=$? ms=$(( ($(date +%s%N) - s) / 1000000 ))"');
        last = r.stdout + r.stderr;
        const m = /rc=(\d+) ms=(\d+)/.exec(r.stdout);
        return m && m[1] !== '0' && Number(m[2]) < 2000 ? true : undefined;
      }, 'a fast failure', 30_000).catch((err: Error) => { throw new Error(`${err.message}; last attempt: ${last}`); });
    });
  });
}
