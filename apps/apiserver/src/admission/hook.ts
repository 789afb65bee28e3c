// Where the REST layer calls admission: after defaulting and the kind's strategy, before schema
// validation (mutating), and after validation (validating), for create, update, patch and delete,
// as Kubernetes' generic registry calls admit and validate around its own validation.
// Writes the apiserver makes for itself (bootstrap policy, system namespaces) carry no user and
// skip admission.
import type { KubeObject } from '@kite/api-types';
import type { AdmissionAttributes } from './interface.js';

export interface AdmissionHook {
  admit(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void>;
  validate(attrs: AdmissionAttributes, obj: KubeObject, old: KubeObject | undefined): Promise<void>;
}
