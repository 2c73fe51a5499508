// Plugin results, as upstream framework.Status: a code, reasons, the plugin that produced it.
// `undefined` from a plugin means Success (upstream's nil *Status).

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export class Status {
  /** The plugin that returned this status; set by the framework. */
  plugin = '';

  constructor(readonly code: Code, readonly reasons: readonly string[] = [], readonly err?: Error) {}

  static success(): Status { return new Status('Success'); }
  static error(err: Error | string): Status {
    const e = typeof err === 'string' ? new Error(err) : err;
    return new Status('Error', [e.message], e);
  }
  static unschedulable(...reasons: string[]): Status { return new Status('Unschedulable', reasons); }
  static unresolvable(...reasons: string[]): Status { return new Status('UnschedulableAndUnresolvable', reasons); }
  static skip(): Status { return new Status('Skip'); }

  /** Reasons joined with ", " (upstream Status.Message). */
  message(): string { return this.reasons.join(', '); }

  withPlugin(name: string): this {
    this.plugin = name;
    return this;
  }
}

export type StatusLike = Status | undefined;

export function isSuccess(s: StatusLike): boolean { return !s || s.code === 'Success'; }
export function isSkip(s: StatusLike): boolean { return !!s && s.code === 'Skip'; }
export function isWait(s: StatusLike): boolean { return !!s && s.code === 'Wait'; }
/** Unschedulable, UnschedulableAndUnresolvable or Pending: the pod cannot go there now (upstream IsRejected). */
export function isRejected(s: StatusLike): boolean {
  return !!s && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable' || s.code === 'Pending');
}
export function codeOf(s: StatusLike): Code { return s ? s.code : 'Success'; }
