// Image garbage collection (upstream pkg/kubelet/images/image_gc_manager.go): the manager remembers
// when it first saw each image and when a container last used it; when the image filesystem is
// over the high threshold it removes unused images, least recently used first, until usage is back
// at the low threshold. Pinned images, the sandbox (pause) image and images younger than the
// minimum age are never removed.
import { statfs } from 'node:fs/promises';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { ContainerRuntime, FilesystemUsage, Image } from '../runtime/index.js';

export interface ImageGCPolicy {
  /** Usage (percent of the image filesystem) at or above which GC runs; 100 disables it. */
  highThresholdPercent: number;
  /** Usage GC frees space down to. */
  lowThresholdPercent: number;
  /** Images first seen less than this long ago are kept (upstream MinAge). */
  minAgeMs: number;
}

/** upstream kubelet defaults: --image-gc-high-threshold 85, --image-gc-low-threshold 80, --minimum-image-ttl-duration 2m. */
export const DEFAULT_IMAGE_GC_POLICY: ImageGCPolicy = { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 120_000 };

/** upstream ImageGCPeriod; the first run waits a minute for the runtime's stats to settle. */
export const IMAGE_GC_PERIOD_MS = 5 * 60_000;
export const IMAGE_GC_FIRST_RUN_MS = 60_000;

export interface FsCapacity {
  capacityBytes: number;
  availableBytes: number;
}

export type ImageGCRuntime = Pick<ContainerRuntime, 'listImages' | 'listContainers' | 'removeImage' | 'imageFsInfo' | 'imageStatus'>;

export interface ImageGCOptions {
  runtime: ImageGCRuntime;
  clock: Clock;
  log: Logger;
  policy?: Partial<ImageGCPolicy>;
  /** The runtime's sandbox image (never removed even when the runtime does not pin it). */
  sandboxImage?: string;
  /** Capacity and free space of the filesystem holding the images; default statfs(mountpoint). */
  fsCapacity?: (usage: FilesystemUsage) => Promise<FsCapacity>;
  /** A Warning event on the Node (FreeDiskSpaceFailed, InvalidDiskCapacity, ImageGCFailed). */
  event?: (reason: string, message: string) => void;
}

interface ImageRecord {
  firstDetected: number;
  /** 0 until a container is seen using it. */
  lastUsed: number;
  size: number;
  pinned: boolean;
  /** A name for removeImage and logs. */
  ref: string;
}

/** statfs of the image filesystem's mount point (what cadvisor reports to upstream's kubelet). */
async function statfsCapacity(usage: FilesystemUsage): Promise<FsCapacity> {
  try {
    const s = await statfs(usage.mountpoint);
    return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ImageFsNotLocalError(usage.mountpoint);
    throw err;
  }
}

/**
 * The runtime's image filesystem is not on this host (the fake runtime, a remote runtime): there is
 * no disk to measure, so the loop does not collect (logged once, no events).
 */
export class ImageFsNotLocalError extends Error {
  constructor(readonly mountpoint: string) {
    super(`image filesystem mount point ${mountpoint} does not exist on this host`);
  }
}

/** Rejects policies upstream rejects (NewImageGCManager). */
export function validateImageGCPolicy(p: ImageGCPolicy): void {
  if (p.highThresholdPercent < 0 || p.highThresholdPercent > 100) throw new RangeError(`invalid HighThresholdPercent ${p.highThresholdPercent}, must be in range [0-100]`);
  if (p.lowThresholdPercent < 0 || p.lowThresholdPercent > 100) throw new RangeError(`invalid LowThresholdPercent ${p.lowThresholdPercent}, must be in range [0-100]`);
  if (p.lowThresholdPercent > p.highThresholdPercent) throw new RangeError(`LowThresholdPercent ${p.lowThresholdPercent} can not be higher than HighThresholdPercent ${p.highThresholdPercent}`);
  if (p.minAgeMs < 0) throw new RangeError(`invalid minimum image age ${p.minAgeMs} ms`);
}

export class ImageGCManager {
  readonly policy: ImageGCPolicy;
  private readonly records = new Map<string, ImageRecord>();
  private readonly fsCapacity: (usage: FilesystemUsage) => Promise<FsCapacity>;
  private timer: Timer | undefined;
  private stopped = false;
  private prevFailed = false;
  private notLocalLogged = false;

  constructor(private readonly o: ImageGCOptions) {
    this.policy = { ...DEFAULT_IMAGE_GC_POLICY, ...o.policy };
    validateImageGCPolicy(this.policy);
    this.fsCapacity = o.fsCapacity ?? statfsCapacity;
  }

  /** What the manager knows of an image (tests, debugging). */
  record(id: string): Readonly<ImageRecord> | undefined {
    return this.records.get(id);
  }

  /**
   * Refreshes the records from the runtime (upstream detectImages): new images get firstDetected =
   * detectTime, images a container refers to get lastUsed = now; resolves to the ids in use.
   */
  async detectImages(detectTime: number): Promise<Set<string>> {
    const [images, containers] = await Promise.all([this.o.runtime.listImages(), this.o.runtime.listContainers()]);
    const inUse = new Set<string>();
    const byName = new Map<string, string>();
    for (const i of images) for (const n of [i.id, ...i.repoTags, ...i.repoDigests]) byName.set(n, i.id);
    // Every container counts, running or not: removing the image of an exited container would
    // break its restart (upstream lists all pods' containers).
    for (const c of containers) {
      const id = byName.get(c.imageRef) ?? byName.get(c.image.image) ?? c.imageRef;
      if (id) inUse.add(id);
    }
    if (this.o.sandboxImage) {
      const sb = await this.o.runtime.imageStatus({ image: this.o.sandboxImage }).catch(() => null);
      if (sb) inUse.add(sb.id);
    }
    const now = this.o.clock.now();
    const seen = new Set<string>();
    for (const img of images) {
      seen.add(img.id);
      let r = this.records.get(img.id);
      if (!r) {
        r = { firstDetected: detectTime, lastUsed: 0, size: 0, pinned: false, ref: '' };
        this.records.set(img.id, r);
      }
      if (inUse.has(img.id)) r.lastUsed = now;
      r.size = img.size;
      r.pinned = !!img.pinned;
      r.ref = refOf(img);
    }
    for (const id of this.records.keys()) if (!seen.has(id)) this.records.delete(id);
    return inUse;
  }

  /**
   * One GC pass (upstream GarbageCollect): when usage ≥ high threshold, frees down to the low one.
   * Rejects (after a Warning event) when the capacity is unknown or not enough could be freed.
   */
  async garbageCollect(): Promise<void> {
    const freeTime = this.o.clock.now();
    const fs = (await this.o.runtime.imageFsInfo())[0];
    if (!fs) throw new Error('the runtime reports no image filesystem');
    const { capacityBytes, availableBytes } = await this.fsCapacity(fs);
    const available = Math.max(0, Math.min(availableBytes, capacityBytes));
    if (capacityBytes <= 0) {
      const msg = `invalid capacity ${capacityBytes} on image filesystem`;
      this.o.event?.('InvalidDiskCapacity', msg);
      throw new Error(msg);
    }
    const usagePercent = 100 - Math.trunc((available * 100) / capacityBytes);
    if (usagePercent < this.policy.highThresholdPercent) {
      await this.detectImages(freeTime);
      return;
    }
    const amountToFree = Math.trunc((capacityBytes * (100 - this.policy.lowThresholdPercent)) / 100) - available;
    this.o.log.info('Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold',
      { usage: usagePercent, highThreshold: this.policy.highThresholdPercent, amountToFree, lowThreshold: this.policy.lowThresholdPercent });
    const freed = await this.freeSpace(amountToFree, freeTime);
    if (freed < amountToFree) {
      const msg = `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`;
      this.o.event?.('FreeDiskSpaceFailed', msg);
      throw new Error(msg);
    }
  }

  /**
   * Removes unused images, least recently used (then first detected) first, until bytesToFree
   * bytes are gone; resolves to the bytes freed. Removal errors are collected and thrown at the end
   * (after trying the rest), as upstream.
   */
  async freeSpace(bytesToFree: number, freeTime: number): Promise<number> {
    const inUse = await this.detectImages(freeTime);
    const candidates = [...this.records.entries()]
      .filter(([id, r]) => !inUse.has(id) && !r.pinned)
      .sort(([, a], [, b]) => (a.lastUsed - b.lastUsed) || (a.firstDetected - b.firstDetected));
    let freed = 0;
    const failures: string[] = [];
    for (const [id, r] of candidates) {
      // Used during this pass (upstream compares lastUsed with freeTime).
      if (r.lastUsed >= freeTime) continue;
      if (freeTime - r.firstDetected < this.policy.minAgeMs) {
        this.o.log.v(4).info('Image ID was new, skipping', { imageID: id, age: freeTime - r.firstDetected, minAgeMs: this.policy.minAgeMs });
        continue;
      }
      this.o.log.info('Removing image to free bytes', { imageID: id, ref: r.ref, size: r.size });
      try {
        await this.o.runtime.removeImage({ image: id });
      } catch (err) {
        failures.push(`${id}: ${(err as Error).message}`);
        continue;
      }
      this.records.delete(id);
      freed += r.size;
      if (freed >= bytesToFree) break;
    }
    if (failures.length) throw new Error(`wanted to free ${bytesToFree} bytes, but freed ${freed} bytes space with errors in image deletion: [${failures.join(', ')}]`);
    return freed;
  }

  /**
   * Runs detectImages now, the first GC after IMAGE_GC_FIRST_RUN_MS and then every IMAGE_GC_PERIOD_MS
   * (upstream StartGarbageCollection): a failure is logged; repeated failures also get an
   * ImageGCFailed event. A high threshold of 100 disables collection (detection still runs).
   */
  start(): void {
    void this.detectImages(this.o.clock.now()).catch((err: unknown) => this.o.log.v(2).info('image detection failed', { err: String(err) }));
    this.schedule(IMAGE_GC_FIRST_RUN_MS);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimer(ms, () => void this.tick().finally(() => this.schedule(IMAGE_GC_PERIOD_MS)));
  }

  /** One loop iteration; exposed for tests. */
  async tick(): Promise<void> {
    if (this.policy.highThresholdPercent >= 100) {
      await this.detectImages(this.o.clock.now()).catch(() => undefined);
      return;
    }
    try {
      await this.garbageCollect();
      this.prevFailed = false;
    } catch (err) {
      const msg = (err as Error).message;
      if (err instanceof ImageFsNotLocalError) {
        if (!this.notLocalLogged) this.o.log.info('image garbage collection is off: nothing to measure', { err: msg });
        this.notLocalLogged = true;
        return;
      }
      if (this.prevFailed) {
        this.o.log.error('Image garbage collection failed multiple times in a row', { err: msg });
        this.o.event?.('ImageGCFailed', msg);
      } else {
        this.o.log.error('Image garbage collection failed once. Stats initialization may not have completed yet', { err: msg });
      }
      this.prevFailed = true;
    }
  }
}

function refOf(img: Image): string {
  return img.repoTags[0] ?? img.repoDigests[0] ?? img.id;
}
