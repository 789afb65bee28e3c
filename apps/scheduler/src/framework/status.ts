// Status: what a plugin answers instead of throwing. The code decides what happens next:
//
// - Success: the node passes (filter) or the step succeeded.
// - Unschedulable: the node does not fit now, but might after a change (another pod leaves).
// - UnschedulableAndUnresolvable: no change to other pods can help this node (a taint, a label);
//   preemption would skip such nodes, and the message counts them the same way.
// - Error: something broke (a bad spec, an internal fault); the pod is retried with back-off.
// - Skip: from PreFilter, "my Filter has nothing to check for this pod"; the framework then
//   leaves the plugin out of the filter loop for this cycle, which is what keeps large clusters fast.
//
// Statuses are immutable, so plugins share constant instances for fixed reasons instead of
// allocating one per node.

export const Code = {
  Success: 'Success',
  Unschedulable: 'Unschedulable',
  UnschedulableAndUnresolvable: 'UnschedulableAndUnresolvable',
  Error: 'Error',
  Skip: 'Skip',
} as const;
export type Code = (typeof Code)[keyof typeof Code];

export class Status {
  /** The plugin that produced the status; set by the framework when it records a failure. */
  constructor(
    readonly code: Code,
    /** Human-readable reasons; each is counted separately in the FailedScheduling message. */
    readonly reasons: readonly string[] = [],
    readonly plugin = '',
  ) {}

  isSuccess(): boolean {
    return this.code === Code.Success;
  }

  /** Unschedulable or UnschedulableAndUnresolvable: the node was rejected, nothing broke. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  message(): string {
    return this.reasons.join(', ');
  }

  /** The same status attributed to `plugin`. */
  withPlugin(plugin: string): Status {
    return this.plugin === plugin ? this : new Status(this.code, this.reasons, plugin);
  }
}

/** The one success status every plugin returns. */
export const SUCCESS = new Status(Code.Success);
/** The one skip status PreFilter plugins return. */
export const SKIP = new Status(Code.Skip);

export const unschedulable = (...reasons: string[]): Status => new Status(Code.Unschedulable, reasons);
export const unresolvable = (...reasons: string[]): Status => new Status(Code.UnschedulableAndUnresolvable, reasons);
export const asError = (err: unknown): Status => new Status(Code.Error, [err instanceof Error ? err.message : String(err)]);
