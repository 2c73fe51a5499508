// A throw-away image registry (Debian's docker-registry, distribution 2.8) on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './command.js';
import { freeLoopbackPort, waitForListener } from './ports.js';

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the host part of image references. */
  host: string;
  stop(): Promise<void>;
}

/** bcrypt alphabet (not RFC 4648 base64). */
const BCRYPT_B64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A bcrypt hash (`$2b$`) as the registry's htpasswd backend wants (it accepts bcrypt only). Node
 * has no bcrypt; libxcrypt's crypt(3) has, and perl (Debian's essential perl-base) exposes it.
 */
export async function bcryptHash(password: string): Promise<string> {
  const salt = Array.from(randomBytes(22), (b) => BCRYPT_B64[b & 63]).join('');
  const { stdout } = await run(['perl', '-e', 'print crypt($ENV{PW}, $ENV{SALT})'],
    { env: { PATH: process.env.PATH, PW: password, SALT: `$2b$05$${salt}` } });
  if (!/^\$2b\$05\$[./A-Za-z0-9]{53}$/.test(stdout)) throw new Error('crypt(3) on this host does not do bcrypt');
  return stdout;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts docker-registry with its storage in dataDir (config and log there too) on a free port
 * of 127.0.0.1, plain HTTP; with htpasswd, every request needs basic auth with that user.
 */
export async function startRegistry(o: { dataDir: string; htpasswd?: { user: string; password: string } }): Promise<TestRegistry> {
  mkdirSync(join(o.dataDir, 'storage'), { recursive: true });
  let auth = '';
  if (o.htpasswd) {
    if (o.htpasswd.user.includes(':')) throw new Error('htpasswd user must not contain ":"');
    writeFileSync(join(o.dataDir, 'htpasswd'), `${o.htpasswd.user}:${await bcryptHash(o.htpasswd.password)}\n`, { mode: 0o600 });
    auth = `auth:\n  htpasswd:\n    realm: skiff-test\n    path: ${JSON.stringify(join(o.dataDir, 'htpasswd'))}\n`;
  }
  let lastErr: unknown;
  // The port can be taken between freeLoopbackPort and the registry's bind: try again then.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    const cfg = join(o.dataDir, 'config.yml');
    writeFileSync(cfg, [
      'version: 0.1',
      'log:\n  level: warn\n  accesslog:\n    disabled: true',
      `storage:\n  filesystem:\n    rootdirectory: ${JSON.stringify(join(o.dataDir, 'storage'))}\n  delete:\n    enabled: true`,
      `http:\n  addr: 127.0.0.1:${port}\n  secret: ${randomBytes(16).toString('hex')}`,
      auth,
    ].join('\n'));
    const log = openSync(join(o.dataDir, 'registry.log'), 'a');
    const child = spawn('docker-registry', ['serve', cfg], { stdio: ['ignore', log, log] });
    closeSync(log);
    const onExit = (): void => { child.kill('SIGKILL'); };
    process.once('exit', onExit);
    const stop = async (): Promise<void> => {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
    };
    try {
      await waitForListener({ host: '127.0.0.1', port }, { timeoutMs: 10_000, alive: () => child.exitCode === null && child.signalCode === null, what: 'docker-registry' });
      return { host: `127.0.0.1:${port}`, stop };
    } catch (e) {
      lastErr = e;
      await stop();
    }
  }
  throw new Error(`docker-registry did not start (log in ${join(o.dataDir, 'registry.log')}): ${String(lastErr)}`);
}
