import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLine, containerArgv, resolveExecutable, StartError, workloadEnv } from './launch.js';
import type { ContainerConfig } from '../types.js';

const base: ContainerConfig = { metadata: { name: 'c' }, image: { image: 'busybox' } };

test('commandLine follows containerd: command replaces entrypoint, args replace cmd', () => {
  const image = { entrypoint: ['/entry'], cmd: ['default-arg'] };
  const cases: [Partial<ContainerConfig>, string[]][] = [
    [{}, ['/entry', 'default-arg']],
    [{ args: ['x'] }, ['/entry', 'x']],
    [{ command: ['sh'] }, ['sh']],
    [{ command: ['sh'], args: ['-c', 'true'] }, ['sh', '-c', 'true']],
  ];
  for (const [cfg, want] of cases) assert.deepEqual(commandLine({ ...base, ...cfg }, image), want, JSON.stringify(cfg));
  assert.deepEqual(commandLine(base, {}), []);
});

test('workloadEnv: image env, then runtime defaults, then the pod wins', () => {
  const env = workloadEnv({ ...base, tty: true, envs: [{ key: 'A', value: '1' }, { key: 'PATH', value: '/x' }] }, { env: ['B=2', 'HOME=/home/app'] }, 'h');
  assert.deepEqual(env, { PATH: '/x', B: '2', HOME: '/home/app', HOSTNAME: 'h', TERM: 'xterm', A: '1' });
  assert.equal(workloadEnv(base, {}, 'h').HOME, '/root');
});

test('resolveExecutable searches PATH and words errors as runc does', () => {
  assert.deepEqual(resolveExecutable(['sh', '-c', 'x'], { PATH: '/nonexistent:/bin:/usr/bin' }, null)[1], '-c');
  assert.match(resolveExecutable(['sh'], { PATH: '/bin:/usr/bin' }, null)[0]!, /\/sh$/);
  assert.throws(() => resolveExecutable(['no-such-cmd-skiff'], { PATH: '/bin' }, null),
    (e) => e instanceof StartError && e.message === 'exec: "no-such-cmd-skiff": executable file not found in $PATH');
  assert.throws(() => resolveExecutable(['/no/such'], {}, null), StartError);
  assert.throws(() => resolveExecutable([], {}, null), StartError);
});

test('containerArgv: cgroups joined first, then namespaces, volumes, then the PID namespace', () => {
  const argv = containerArgv(
    { argv: ['/bin/sleep', '1'], env: {}, cwd: '/work', rootfs: null },
    { cgroupProcs: ['/cg/memory/p/c/cgroup.procs'], ns: { net: '/run/netns/n', uts: '/s/uts', ipc: '/s/ipc' } },
    [{ hostPath: '/h', containerPath: '/c', readonly: true }], false);
  const at = (s: string) => argv.indexOf(s);
  assert.equal(argv[0], '/bin/sh');
  assert.ok(argv.includes('/cg/memory/p/c/cgroup.procs'));
  assert.ok(at('nsenter') < at('--net=/run/netns/n'));
  assert.ok(at('nsenter') < argv.lastIndexOf('unshare'));
  assert.ok(argv.some((a) => a.includes('mount --bind /h /c') && a.includes('remount,bind,ro')));
  assert.ok(at('--pid') > at('--net=/run/netns/n'));
  assert.ok(argv.includes('--wd=/work'));
  assert.deepEqual(argv.slice(-2), ['/bin/sleep', '1']);
});
