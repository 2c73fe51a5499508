// A recorder for controller unit tests (client-go's record.FakeRecorder): keeps "Type Reason note"
// strings in order instead of writing Events.
import type { KubeObject } from '../../api/types.js';
import type { EventType, ObjectReference } from './event.js';
import type { EventRecorder } from './recorder.js';

export class FakeRecorder implements EventRecorder {
  readonly events: string[] = [];

  record(_regarding: KubeObject | ObjectReference, type: EventType, reason: string, _action: string, note: string): void {
    this.events.push(`${type} ${reason} ${note}`);
  }
}
