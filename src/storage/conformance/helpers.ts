// Small helpers for the conformance suite: unique key spaces and watch collection with a deadline.
import type { Backend, WatchEvent } from '../backend.js';

let seq = 0;

/** A key prefix no other test uses, so one shared store (etcd) can serve every test. */
export function space(): string {
  return `/conf/${process.pid}-${Date.now().toString(36)}-${++seq}/`;
}

export const buf = (s: string): Buffer => Buffer.from(s);

export interface Collector {
  events: WatchEvent[];
  /** Resolves once n events arrived (rejects on timeout or a watch error). */
  waitFor(n: number, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Resolves with the error the watch ended with (rejects on timeout). */
  failure(timeoutMs?: number): Promise<unknown>;
  stop(): void;
}

/** Starts a watch and gathers its events in the background. */
export function collect(b: Backend, prefix: string, from: number): Collector {
  const ac = new AbortController();
  const events: WatchEvent[] = [];
  let error: unknown;
  let done = false;
  let notify = () => {};
  const loop = (async () => {
    try {
      for await (const batch of b.watch(prefix, from, ac.signal)) {
        events.push(...batch);
        notify();
      }
    } catch (err) {
      error = err;
    } finally {
      done = true;
      notify();
    }
  })();
  void loop;
  const until = (cond: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} (have ${events.length} events)`)), timeoutMs);
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        }
      };
      const prev = notify;
      notify = () => {
        prev();
        check();
      };
      check();
    });
  return {
    events,
    async waitFor(n, timeoutMs = 10_000) {
      await until(() => events.length >= n || done, timeoutMs, `${n} events`);
      if (events.length < n) throw error ?? new Error(`watch ended after ${events.length} of ${n} events`);
      return events;
    },
    async failure(timeoutMs = 10_000) {
      await until(() => done, timeoutMs, 'the watch to fail');
      return error;
    },
    stop: () => ac.abort(),
  };
}

/** Resolves after ms (lets a feed deliver anything it should not). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
