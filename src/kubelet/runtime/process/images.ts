// Images in the process runtime. Nothing is downloaded: an image reference names a root filesystem
// and, like an image config, a default entrypoint/cmd/env/workingDir.
//  - A ref listed in the runtime's `images` option maps to what it says (a rootfs directory the
//    container is chrooted into, as root only, and/or defaults).
//  - Any other ref is a "host image": the container sees the host's own filesystem, so `busybox`,
//    `alpine`, `registry.k8s.io/pause`, … all run the host's binaries (sh, sleep, cat, …).
// pullImage only checks that the root exists and records the image as present; the kubelet's
// pull-policy logic therefore works unchanged.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Clock } from '../../../util/clock.js';
import { normalizeRef } from '../imageref.js';
import { notFound } from '../ids.js';
import type { ImageService } from '../interface.js';
import type { FilesystemUsage, Image, ImageFilter, ImageSpec } from '../types.js';

/** What an image means to the process runtime. */
export interface ProcessImage {
  /** Root filesystem to chroot into; absent or "/" = the host's. */
  rootfs?: string;
  entrypoint?: string[];
  cmd?: string[];
  /** KEY=VALUE pairs, as in an image config. */
  env?: string[];
  workingDir?: string;
}

/** Built-in defaults for well-known refs (by repository, any tag), so pods without `command` run. */
export const WELL_KNOWN_IMAGES: Record<string, ProcessImage> = {
  // The pause image's entrypoint (/pause) only sleeps until signalled.
  'registry.k8s.io/pause': { entrypoint: ['sleep', 'infinity'] },
  'k8s.gcr.io/pause': { entrypoint: ['sleep', 'infinity'] },
  'docker.io/library/busybox': { cmd: ['sh'] },
  'docker.io/library/alpine': { cmd: ['/bin/sh'] },
  'docker.io/library/debian': { cmd: ['bash'] },
};

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function repository(normalized: string): string {
  const at = normalized.indexOf('@');
  if (at >= 0) return normalized.slice(0, at);
  const colon = normalized.lastIndexOf(':');
  return colon > normalized.lastIndexOf('/') ? normalized.slice(0, colon) : normalized;
}

export class ProcessImages implements ImageService {
  private readonly table = new Map<string, ProcessImage>();
  private readonly present = new Map<string, Image>();

  constructor(private readonly clock: Clock, images: Record<string, ProcessImage> = {}) {
    for (const [k, v] of Object.entries(WELL_KNOWN_IMAGES)) this.table.set(k, v);
    for (const [k, v] of Object.entries(images)) {
      this.table.set(normalizeRef(k), v);
      this.table.set(repository(normalizeRef(k)), v);
    }
  }

  /** The image's meaning, by exact ref first, then by repository; host image otherwise. */
  resolve(ref: string): ProcessImage {
    const n = normalizeRef(ref);
    return this.table.get(n) ?? this.table.get(repository(n)) ?? this.byId(ref) ?? {};
  }

  /** Image id: a digest of the normalised ref and its root, stable across restarts. */
  imageRef(ref: string): string {
    if (ref.startsWith('sha256:')) return ref;
    const img = this.resolve(ref);
    return 'sha256:' + createHash('sha256').update(normalizeRef(ref) + '\0' + (img.rootfs ?? '/')).digest('hex');
  }

  async listImages(filter?: ImageFilter): Promise<Image[]> {
    if (filter?.image?.image) {
      const s = await this.imageStatus(filter.image);
      return s ? [s] : [];
    }
    return [...this.present.values()];
  }

  async imageStatus(image: ImageSpec): Promise<Image | null> {
    if (image.image.startsWith('sha256:')) {
      for (const i of this.present.values()) if (i.id === image.image) return i;
      return null;
    }
    return this.present.get(normalizeRef(image.image)) ?? null;
  }

  async pullImage(image: ImageSpec): Promise<string> {
    const n = normalizeRef(image.image);
    const img = this.resolve(image.image);
    if (img.rootfs && img.rootfs !== '/' && !existsSync(img.rootfs)) {
      throw notFound.image(`${image.image} (rootfs ${img.rootfs} does not exist)`);
    }
    const id = this.imageRef(image.image);
    const cur = this.present.get(n);
    if (cur) return cur.id;
    this.present.set(n, { id, repoTags: [n], repoDigests: [], size: 0 });
    return id;
  }

  async removeImage(image: ImageSpec): Promise<void> {
    if (image.image.startsWith('sha256:')) {
      for (const [k, v] of this.present) if (v.id === image.image) this.present.delete(k);
      return;
    }
    this.present.delete(normalizeRef(image.image));
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    // Host images occupy nothing of their own; report the image count so GC sees a sane figure.
    return [{ timestamp: this.clock.now(), mountpoint: '/', usedBytes: 0, inodesUsed: this.present.size }];
  }

  private byId(ref: string): ProcessImage | undefined {
    if (!ref.startsWith('sha256:')) return undefined;
    for (const [k, v] of this.present) if (v.id === ref) return this.resolve(k);
    return undefined;
  }
}
