// The scale-to-zero contract of a Deployment (kite's own, beyond Kubernetes, where Knative does
// this): the annotation `kite.dev/scale-to-zero-after: <Go duration>` lets the Deployment sit at 0
// replicas. The controller manager scales it to 0 once no request has reached its pods for that
// long; the proxy holds the first request to a Service whose pods it runs and asks for one
// replica. Both read the annotation with `scaleToZeroSetting`, so they agree on what is valid: a
// positive Go duration (`60s`, `5m`, `1h30m`). Anything else turns the feature off for that
// Deployment (the controller says why in a Warning Event).
import { parseGoDuration } from '../meta/duration.js';

export const SCALE_TO_ZERO_AFTER_ANNOTATION = 'kite.dev/scale-to-zero-after';

export type ScaleToZeroSetting =
  /** No annotation: the Deployment is scaled only by its users (and the HPA). */
  | { kind: 'off' }
  /** Scale to zero after `afterMs` without requests; the proxy may activate it. */
  | { kind: 'after'; afterMs: number; text: string }
  /** The annotation is there but unusable: no action, and `message` says why. */
  | { kind: 'invalid'; text: string; message: string };

export function scaleToZeroSetting(annotations: Readonly<Record<string, string>> | undefined): ScaleToZeroSetting {
  const text = annotations?.[SCALE_TO_ZERO_AFTER_ANNOTATION];
  if (text === undefined) return { kind: 'off' };
  const ms = parseGoDuration(text.trim());
  if (ms === undefined) return { kind: 'invalid', text, message: `annotation ${SCALE_TO_ZERO_AFTER_ANNOTATION}: ${JSON.stringify(text)} is not a duration such as 60s or 5m` };
  if (ms <= 0) return { kind: 'invalid', text, message: `annotation ${SCALE_TO_ZERO_AFTER_ANNOTATION}: ${JSON.stringify(text)} must be greater than 0` };
  return { kind: 'after', afterMs: ms, text: text.trim() };
}
