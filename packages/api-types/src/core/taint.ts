// Taints repel pods from nodes; tolerations let a pod ignore matching taints.
import { Type, type Static } from '@sinclair/typebox';
import { OptInt, OptString, StringEnum } from '../schema.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export const Taint = Type.Object(
  {
    key: Type.String({ description: 'Taint key, a qualified name.' }),
    value: OptString('Taint value, a label value.'),
    effect: StringEnum(TAINT_EFFECTS, { description: 'What happens to pods that do not tolerate the taint.' }),
    timeAdded: OptString('When a NoExecute taint was added.'),
  },
  { description: 'A mark on a node that repels pods which do not tolerate it.' },
);
export type Taint = Static<typeof Taint>;

export const Toleration = Type.Object(
  {
    key: OptString('Taint key to match; empty with operator Exists matches every taint.'),
    operator: Type.Optional(StringEnum(['Exists', 'Equal', ''] as const, { description: "Exists or Equal; empty means Equal." })),
    value: OptString('Value to match with operator Equal.'),
    effect: Type.Optional(StringEnum(['', ...TAINT_EFFECTS] as const, { description: 'Effect to match; empty matches all effects.' })),
    tolerationSeconds: OptInt('For NoExecute: how long the pod stays bound after the taint appears.'),
  },
  { description: 'Allows a pod onto nodes with matching taints.' },
);
export type Toleration = Static<typeof Toleration>;
