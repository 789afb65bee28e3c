// autoscaling/v1 HorizontalPodAutoscaler: the first HPA API, still what `kubectl autoscale` (v1.32)
// posts. It can say only "hold average CPU at N% of requests"; everything else autoscaling/v2 has
// travels in annotations. Objects are stored once, at autoscaling/v2, and converted on every
// request (horizontalpodautoscaler-conversion.ts), as Kubernetes serves both versions from one
// storage. Semantic validation runs on the converted v2 object, so errors name Kubernetes' fields
// (`spec.metrics[0].resource.target.averageUtilization` for a target of 0 at either version).
import { Type, type Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { kindSchema } from '../meta/v1.js';
import { OptInt, OptString } from '../schema.js';
import { CrossVersionObjectReference, HorizontalPodAutoscalerResource, type HorizontalPodAutoscaler } from './horizontalpodautoscaler.js';
import { hpaFromV2, hpaToV2 } from './horizontalpodautoscaler-conversion.js';

// Spec and status are not exported as schemas: OpenAPI would name them `...SpecV1`; inlined they
// document the same fields.
const HorizontalPodAutoscalerSpecV1 = Type.Object(
  {
    scaleTargetRef: CrossVersionObjectReference,
    minReplicas: OptInt('Lower bound; defaults to 1.'),
    maxReplicas: Type.Integer({ description: 'Upper bound; at least minReplicas.' }),
    targetCPUUtilizationPercentage: OptInt("Target average CPU utilisation, as a percent of the pods' requests; defaults to 80."),
  },
  { description: 'What to scale and towards which CPU utilisation.' },
);
export type HorizontalPodAutoscalerSpecV1 = Static<typeof HorizontalPodAutoscalerSpecV1>;

const HorizontalPodAutoscalerStatusV1 = Type.Object({
  observedGeneration: OptInt(),
  lastScaleTime: OptString(),
  // Required in Kubernetes' type, but kubectl's protobuf encoding leaves zeros out.
  currentReplicas: OptInt('Current number of replicas of pods managed by this autoscaler.'),
  desiredReplicas: OptInt('Desired number of replicas of pods managed by this autoscaler.'),
  currentCPUUtilizationPercentage: OptInt("Current average CPU utilisation, as a percent of the pods' requests."),
});
export type HorizontalPodAutoscalerStatusV1 = Static<typeof HorizontalPodAutoscalerStatusV1>;

export const HorizontalPodAutoscalerV1 = kindSchema(
  'autoscaling/v1',
  'HorizontalPodAutoscaler',
  HorizontalPodAutoscalerSpecV1,
  HorizontalPodAutoscalerStatusV1,
  'Configuration of a horizontal pod autoscaler.',
);
export type HorizontalPodAutoscalerV1 = Static<typeof HorizontalPodAutoscalerV1>;

/** Kubernetes' v1 defaulting (SetDefaults_HorizontalPodAutoscaler): minReplicas 1. */
function defaultHPAV1(hpa: HorizontalPodAutoscalerV1): void {
  if (hpa.spec) hpa.spec.minReplicas ??= 1;
}

export const HorizontalPodAutoscalerV1Resource = defineResource<HorizontalPodAutoscalerV1, HorizontalPodAutoscaler>({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  shortNames: ['hpa'],
  namespaced: true,
  categories: ['all'],
  schema: HorizontalPodAutoscalerV1,
  status: true,
  defaults: defaultHPAV1,
  conversion: { storage: HorizontalPodAutoscalerResource, toStorage: hpaToV2, fromStorage: hpaFromV2 },
});
