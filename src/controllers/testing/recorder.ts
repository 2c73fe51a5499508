// An EventRecorder for tests (client-go record.FakeRecorder): keeps "Type Reason note" lines.
import type { KubeObject } from '../../api/types.js';
import type { EventRecorder, EventType, ObjectReference } from '../../client/index.js';

export interface RecordedEvent {
  regarding: KubeObject | ObjectReference;
  type: EventType;
  reason: string;
  action: string;
  note: string;
}

export class FakeRecorder implements EventRecorder {
  readonly records: RecordedEvent[] = [];

  record(regarding: KubeObject | ObjectReference, type: EventType, reason: string, action: string, note: string): void {
    this.records.push({ regarding, type, reason, action, note });
  }

  /** "Normal ScalingReplicaSet Scaled up replica set web-abc from 0 to 3", one per event. */
  get events(): string[] {
    return this.records.map((e) => `${e.type} ${e.reason} ${e.note}`);
  }

  clear(): void {
    this.records.length = 0;
  }
}
