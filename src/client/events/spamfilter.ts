// Per source+object token buckets (client-go's EventSourceObjectSpamFilter): 25 events at once, then
// one per 5 minutes, so a hot loop cannot flood the API server with events about one object.
import type { Clock } from '../../util/clock.js';
import { TokenBucket } from '../flowcontrol/index.js';

export class SpamFilter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: Clock, private readonly qps = 1 / 300, private readonly burst = 25, private readonly maxKeys = 4096) {}

  /** True when an event under key may be sent now (and takes a token). */
  allow(key: string): boolean {
    let b = this.buckets.get(key);
    if (b) {
      // Move to the back: the map doubles as an LRU.
      this.buckets.delete(key);
    } else {
      b = new TokenBucket(this.qps, this.burst, this.clock);
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, b);
    return b.tryAccept();
  }
}
