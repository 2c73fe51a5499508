import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendRunner, parseBackendChoice, resolveBackend } from './backend.js';
import type { CommandResult, CommandRunner } from './exec.js';

const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });
const missing: CommandResult = { code: 127, stdout: '', stderr: 'spawn ENOENT' };
const HINT = '*mangle\n:PREROUTING ACCEPT [0:0]\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n';
const CANARY = '*mangle\n:KUBE-KUBELET-CANARY - [0:0]\nCOMMIT\n';

function host(answers: Record<string, CommandResult>): CommandRunner {
  return async (argv) => answers[argv[0]!] ?? missing;
}

test('auto follows the hint chains first, then the mode of the host\'s iptables, nft by default', async () => {
  const cases: Array<[string, Record<string, CommandResult>, 'legacy' | 'nft']> = [
    ['hint in nft', { 'iptables-nft-save': ok(HINT), 'iptables-legacy-save': ok(CANARY), iptables: ok('iptables v1.8.9 (legacy)') }, 'nft'],
    ['kubelet canary in legacy', { 'iptables-nft-save': ok('*mangle\nCOMMIT\n'), 'iptables-legacy-save': ok(CANARY), iptables: ok('iptables v1.8.9 (nf_tables)') }, 'legacy'],
    ['no hints, host iptables is legacy', { 'iptables-nft-save': ok(), 'iptables-legacy-save': ok(), iptables: ok('iptables v1.8.9 (legacy)') }, 'legacy'],
    ['no hints, host iptables is nft', { 'iptables-nft-save': ok(), 'iptables-legacy-save': ok(), iptables: ok('iptables v1.8.9 (nf_tables)') }, 'nft'],
    ['only the legacy client installed', { 'iptables-legacy-save': ok(), iptables: ok('iptables v1.6.1') }, 'legacy'],
    ['nothing answers', {}, 'nft'],
  ];
  for (const [name, answers, want] of cases) assert.equal(await resolveBackend(host(answers), 'auto'), want, name);
  assert.equal(await resolveBackend(host({}), 'legacy'), 'legacy');
});

test('the backend runner renames the three iptables tools only', async () => {
  const seen: string[][] = [];
  const run = backendRunner(async (argv) => { seen.push(argv); return ok(); }, 'legacy');
  await run(['iptables', '-w', '-t', 'nat', '-S']);
  await run(['iptables-restore', '--noflush'], 'x');
  await run(['iptables-save', '-t', 'nat']);
  await run(['conntrack', '-D']);
  assert.deepEqual(seen.map((a) => a[0]), ['iptables-legacy', 'iptables-legacy-restore', 'iptables-legacy-save', 'conntrack']);
  assert.equal(parseBackendChoice(''), 'auto');
  assert.equal(parseBackendChoice('nft'), 'nft');
  assert.throws(() => parseBackendChoice('ipvs'), /expected auto, legacy or nft/);
});
