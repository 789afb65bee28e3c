// Rules shared by the workload controllers' kinds (Deployment, ReplicaSet, StatefulSet, Job):
// a non-empty selector that matches the pod template's labels, so the controller can find the
// pods it creates, and a template valid as a pod.
import type { LabelSelector, StatusCause } from '../meta/v1.js';
import type { PodTemplateSpec } from '../core/podspec.js';
import { validatePodTemplate, type PodSpecValidationOptions } from '../core/pod-validation.js';
import { isEmptyLabelSelector, labelSelectorMatches } from '../labels.js';
import { forbidden, invalid, notSupported, required } from '../validation/causes.js';
import { validateLabelSelector } from '../validation/fields.js';

/** spec.selector must be set, non-empty and valid, and select the template's labels. */
export function validateSelectorMatchesTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  kind: string,
  path = 'spec',
): StatusCause[] {
  if (!selector) return [required(`${path}.selector`)];
  const out = validateLabelSelector(selector, `${path}.selector`);
  if (isEmptyLabelSelector(selector)) {
    out.push(invalid(`${path}.selector`, selector, `empty selector is invalid for ${kind}`));
  } else if (template && out.length === 0 && !labelSelectorMatches(selector, template.metadata?.labels ?? {})) {
    out.push(invalid(`${path}.template.metadata.labels`, template.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  return out;
}

/**
 * The template of a long-running workload: a valid pod spec that always restarts (its controller
 * replaces pods, it never finishes) and never times out.
 */
export function validateServingTemplate(template: PodTemplateSpec | undefined, path = 'spec.template', opts: PodSpecValidationOptions = {}): StatusCause[] {
  const out = validatePodTemplate(template, path, opts);
  const spec = template?.spec;
  if (spec && spec.restartPolicy !== 'Always') out.push(notSupported(`${path}.spec.restartPolicy`, spec.restartPolicy ?? '', ['Always']));
  if (spec?.activeDeadlineSeconds !== undefined) out.push(forbidden(`${path}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return out;
}
