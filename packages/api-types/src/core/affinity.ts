// Scheduling constraints of a pod: node affinity (which nodes), pod affinity and anti-affinity
// (near or away from other pods) and topology spread. Lists are atomic, as in Kubernetes.
import { Type, type Static } from '@sinclair/typebox';
import { LabelSelector } from '../meta/v1.js';
import { AtomicList, List, OptInt, OptString, StringEnum } from '../schema.js';

export const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;

export const NodeSelectorRequirement = Type.Object(
  {
    key: Type.String({ description: 'Label key (or field name for matchFields).' }),
    operator: StringEnum(NODE_SELECTOR_OPERATORS),
    values: Type.Optional(AtomicList(Type.String(), 'Values for In and NotIn; one integer for Gt and Lt; none for Exists and DoesNotExist.')),
  },
  { description: 'A requirement on a node label or field.' },
);
export type NodeSelectorRequirement = Static<typeof NodeSelectorRequirement>;

export const NodeSelectorTerm = Type.Object(
  { matchExpressions: Type.Optional(AtomicList(NodeSelectorRequirement)), matchFields: Type.Optional(AtomicList(NodeSelectorRequirement)) },
  { description: 'Requirements that must all hold (ANDed).', 'x-kubernetes-map-type': 'atomic' },
);
export type NodeSelectorTerm = Static<typeof NodeSelectorTerm>;

export const NodeSelector = Type.Object(
  { nodeSelectorTerms: AtomicList(NodeSelectorTerm, 'Terms of which at least one must hold (ORed).') },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type NodeSelector = Static<typeof NodeSelector>;

export const PreferredSchedulingTerm = Type.Object({ weight: Type.Integer({ description: '1-100.' }), preference: NodeSelectorTerm });
export type PreferredSchedulingTerm = Static<typeof PreferredSchedulingTerm>;

export const NodeAffinity = Type.Object(
  {
    requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(NodeSelector),
    preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(AtomicList(PreferredSchedulingTerm)),
  },
  { description: 'Which nodes a pod may run on (required) or prefers (weighted).' },
);
export type NodeAffinity = Static<typeof NodeAffinity>;

export const PodAffinityTerm = Type.Object(
  {
    labelSelector: Type.Optional(LabelSelector),
    namespaceSelector: Type.Optional(LabelSelector),
    namespaces: Type.Optional(AtomicList(Type.String())),
    topologyKey: Type.String({ description: 'Node label whose equal values form one topology domain.' }),
    matchLabelKeys: Type.Optional(AtomicList(Type.String())),
    mismatchLabelKeys: Type.Optional(AtomicList(Type.String())),
  },
  { description: 'Pods (by selector and namespaces) that must, or must not, share a topology domain with this pod.' },
);
export type PodAffinityTerm = Static<typeof PodAffinityTerm>;

export const WeightedPodAffinityTerm = Type.Object({ weight: Type.Integer({ description: '1-100.' }), podAffinityTerm: PodAffinityTerm });
export type WeightedPodAffinityTerm = Static<typeof WeightedPodAffinityTerm>;

const podAffinityProperties = {
  requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(AtomicList(PodAffinityTerm)),
  preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(AtomicList(WeightedPodAffinityTerm)),
};
export const PodAffinity = Type.Object(podAffinityProperties, { description: 'Co-locate with matching pods.' });
export type PodAffinity = Static<typeof PodAffinity>;
export const PodAntiAffinity = Type.Object(podAffinityProperties, { description: 'Keep away from matching pods.' });
export type PodAntiAffinity = Static<typeof PodAntiAffinity>;

export const Affinity = Type.Object(
  { nodeAffinity: Type.Optional(NodeAffinity), podAffinity: Type.Optional(PodAffinity), podAntiAffinity: Type.Optional(PodAntiAffinity) },
  { description: 'Scheduling constraints of a pod.' },
);
export type Affinity = Static<typeof Affinity>;

export const UNSATISFIABLE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'] as const;

export const TopologySpreadConstraint = Type.Object(
  {
    maxSkew: Type.Integer({ description: 'Largest allowed difference of matching pods between two domains; > 0.' }),
    topologyKey: Type.String(),
    whenUnsatisfiable: StringEnum(UNSATISFIABLE_ACTIONS),
    labelSelector: Type.Optional(LabelSelector),
    minDomains: OptInt(),
    nodeAffinityPolicy: OptString(),
    nodeTaintsPolicy: OptString(),
    matchLabelKeys: Type.Optional(AtomicList(Type.String())),
  },
  { description: 'How matching pods should spread across topology domains.' },
);
export type TopologySpreadConstraint = Static<typeof TopologySpreadConstraint>;

/** Topology spread constraints are keyed by (topologyKey, whenUnsatisfiable); patches merge by topologyKey. */
export const TopologySpreadConstraints = List(TopologySpreadConstraint, {
  patchMergeKey: 'topologyKey',
  patchStrategy: 'merge',
  listType: 'map',
  mapKeys: ['topologyKey', 'whenUnsatisfiable'],
});
