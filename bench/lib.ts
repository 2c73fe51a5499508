// Shared benchmark helpers (shared/DESIGN.md §8): figures as JSON lines on stdout, progress on stderr.

/** Prints one result line: {"bench": …, "case": …, …metrics} on stdout. */
export function emit(obj: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/** Human-readable progress, on stderr so stdout stays machine-readable. */
export function progress(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** The p-th percentile (0..100) of samples, nearest-rank; 0 for no samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Rounds a figure for printing (3 significant decimals are plenty). */
export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** {p50Ms, p99Ms} of millisecond samples. */
export function latency(samplesMs: number[]): { p50Ms: number; p99Ms: number } {
  return { p50Ms: round(percentile(samplesMs, 50)), p99Ms: round(percentile(samplesMs, 99)) };
}

/**
 * Runs op(i) for i in [0, n) with `inflight` concurrent callers; returns the per-op latencies (ms)
 * and the achieved rate.
 */
export async function drive(n: number, inflight: number, op: (i: number) => Promise<unknown>): Promise<{ samples: number[]; opsPerSec: number }> {
  const samples: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(inflight, n) }, async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      await op(i);
      samples.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { samples, opsPerSec: round(n / seconds, 1) };
}

/**
 * Open-loop load: starts op(i) at t0 + i/rate for i in [0, n) whether or not earlier ops have
 * finished, and measures each latency from its scheduled start, so a stalled server shows up as
 * latency instead of a slower sender (no coordinated omission). opsPerSec is completions over the
 * time from t0 to the last completion.
 */
export async function pace(n: number, rate: number, op: (i: number) => Promise<unknown>): Promise<{ samples: number[]; opsPerSec: number }> {
  const samples: number[] = [];
  const running: Promise<void>[] = [];
  const t0 = performance.now();
  const due = (i: number) => t0 + (i * 1000) / rate;
  for (let i = 0; i < n;) {
    const now = performance.now();
    for (; i < n && due(i) <= now; i++) {
      const at = due(i);
      running.push(op(i).then(() => void samples.push(performance.now() - at)));
    }
    if (i < n) await new Promise((resolve) => setTimeout(resolve, Math.max(0, due(i) - performance.now())));
  }
  await Promise.all(running);
  const seconds = (performance.now() - t0) / 1000;
  return { samples, opsPerSec: round(n / seconds, 1) };
}
