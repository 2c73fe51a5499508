// The conformance suite against the process runtime: always without isolation (what a non-root
// user gets), and isolated too when the machine allows it (root; see isolation.test.ts for the
// checks that only make sense there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeConformance, type ConformanceTarget } from '../conformance/suite.js';
import { detectCapabilities } from './capabilities.js';
import { ProcessRuntime, type ProcessRuntimeOptions } from './runtime.js';
import type { BridgeNetwork } from './network.js';
import { CgroupV1 } from './cgroups.js';

const node = process.execPath;
const sh = (script: string) => ({ command: ['sh', '-c', script] });

function target(name: string, opts: (stateDir: string) => Omit<ProcessRuntimeOptions, 'stateDir'>, teardown?: (rt: ProcessRuntime) => Promise<void>): ConformanceTarget {
  return {
    name,
    make: async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'rt-proc-'));
      const runtime = new ProcessRuntime({ stateDir, ...opts(stateDir) });
      return {
        runtime,
        cleanup: async () => {
          await runtime.close();
          await teardown?.(runtime);
          rmSync(stateDir, { recursive: true, force: true });
        },
      };
    },
    workloads: {
      sleeper: () => ({ command: ['sleep', '3600'] }),
      printAndExit: (code) => sh(`echo out-line; echo err-line >&2; exit ${code}`),
      trapsTerm: () => sh('trap "exit 3" TERM; while :; do sleep 0.05; done'),
      ignoresTerm: () => sh('trap "" TERM; while :; do sleep 0.05; done'),
      badCommand: () => ({ command: ['no-such-command-skiff'] }),
      echoServer: (port) => ({ command: [node, '-e', `require('net').createServer({allowHalfOpen:true},(s)=>s.pipe(s)).listen(${port},'0.0.0.0')`] }),
    },
    execCommand: ['sh', '-c', 'echo exec-out; echo exec-err >&2; exit 5'],
    catCommand: ['cat'],
  };
}

runtimeConformance(target('process (no isolation)', () => ({ isolation: 'none' })));

const caps = detectCapabilities();
if (caps.isolation || process.env.CI === 'true') {
  const tag = `skc${process.pid % 100000}`;
  const octet = 100 + (process.pid % 100);
  runtimeConformance(target('process (isolated)', () => ({
    isolation: 'required', podCIDR: `10.198.${octet}.0/24`, bridge: tag, netnsPrefix: `${tag}-`, cgroupRoot: `skiff-test-${tag}`,
  }), async (rt) => {
    await (rt.network as BridgeNetwork).destroy();
    await new CgroupV1().remove(`skiff-test-${tag}`, (ms) => new Promise((r) => setTimeout(r, ms)));
  }));
}

test('process runtime: exec with a tty merges output onto the terminal and follows resize', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'rt-proc-tty-'));
  const rt = new ProcessRuntime({ stateDir, isolation: 'none' });
  try {
    const sb = { metadata: { name: 'tty', namespace: 'ns', uid: 'u' } };
    const sid = await rt.runPodSandbox(sb);
    const cid = await rt.createContainer(sid, { metadata: { name: 'c' }, image: { image: 'busybox' }, command: ['sleep', '3600'] }, sb);
    await rt.startContainer(cid);
    const s = await rt.exec(cid, { cmd: ['sh', '-c', 'sleep 0.3; tty; stty size; echo to-stderr >&2; exit 7'], tty: true, stdin: true, stdout: true, stderr: true });
    assert.equal(s.stderr, undefined);
    const chunks: Buffer[] = [];
    s.stdout!.on('data', (b: Buffer) => chunks.push(b));
    s.resize({ width: 101, height: 42 });
    assert.equal(await s.exitCode, 7);
    const out = Buffer.concat(chunks).toString();
    assert.match(out, /\/dev\/pts\/\d+/);
    assert.match(out, /42 101/);
    assert.match(out, /to-stderr/);
    s.stdin?.end();
  } finally {
    await rt.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

if (!caps.isolation && process.env.CI !== 'true') {
  test(`process runtime conformance, isolated (skipped: ${caps.reason})`, { skip: caps.reason }, () => {});
}
