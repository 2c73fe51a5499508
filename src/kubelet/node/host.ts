// What the node reports about its host (upstream cadvisor MachineInfo + nodestatus setters):
// capacity from the machine, allocatable after reservations, addresses and system info.
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { formatQuantity, parseQuantity, sub, cmp } from '../../api/quantity/index.js';

export interface HostFacts {
  capacity: Record<string, string>;
  internalIP: string;
  hostname: string;
  nodeInfo: Record<string, string>;
}

/** The first non-loopback IPv4 address of the host (127.0.0.1 when there is none). */
export function firstIPv4(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

async function readTrim(p: string): Promise<string> {
  return readFile(p, 'utf8').then((s) => s.trim(), () => '');
}

async function osImage(): Promise<string> {
  const txt = await readTrim('/etc/os-release');
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(txt);
  return m?.[1] ?? 'Linux';
}

/** Bytes of the filesystem holding dir. */
export async function fsBytes(dir: string): Promise<{ total: number; available: number }> {
  const s = await statfs(dir);
  return { total: s.blocks * s.bsize, available: s.bavail * s.bsize };
}

export async function hostFacts(dataDir: string): Promise<HostFacts> {
  const fs = await fsBytes(dataDir).catch(() => ({ total: 0, available: 0 }));
  const arch = os.arch() === 'x64' ? 'amd64' : os.arch();
  return {
    capacity: {
      cpu: String(os.cpus().length),
      memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
      'ephemeral-storage': `${Math.floor(fs.total / 1024)}Ki`,
      pods: '110',
    },
    internalIP: firstIPv4(),
    hostname: os.hostname(),
    nodeInfo: {
      machineID: await readTrim('/etc/machine-id'),
      systemUUID: await readTrim('/sys/class/dmi/id/product_uuid'),
      bootID: await readTrim('/proc/sys/kernel/random/boot_id'),
      kernelVersion: os.release(),
      osImage: await osImage(),
      operatingSystem: 'linux',
      architecture: arch,
    },
  };
}

/** capacity − reserved, never below zero (upstream allocatable). */
export function allocatable(capacity: Record<string, string>, reserved: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(capacity)) {
    const r = reserved[k];
    if (!r) {
      out[k] = v;
      continue;
    }
    const left = sub(v, r);
    out[k] = cmp(left, '0') < 0 ? '0' : formatQuantity(left);
  }
  return out;
}

export { parseQuantity };
