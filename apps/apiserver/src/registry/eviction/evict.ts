// The pods `eviction` subresource: POST pods/NAME/eviction with a policy/v1 Eviction deletes the
// pod if its PodDisruptionBudget allows, as Kubernetes' EvictionREST.Create
// (pkg/registry/core/pod/storage/eviction.go):
//
//   pod terminal, Pending or already deleting → delete it directly (it is not counted as healthy)
//   no budget covers it                       → delete it
//   several budgets                           → 500 "This pod has more than one PodDisruptionBudget…"
//   not Ready, and the budget's unhealthyPodEvictionPolicy is AlwaysAllow, or (IfHealthyBudget,
//   the default) the budget is met without it → delete it, guarded by its resourceVersion so a pod
//   that turned Ready meanwhile is not lost (a race answers 429)
//   otherwise                                 → spend one disruption (budget.ts), then delete it
//
// Every delete first sets the pod's DisruptionTarget condition (reason EvictionByEvictionAPI) and
// honours the Eviction's deleteOptions (gracePeriodSeconds, preconditions, dryRun). Success is a
// 201 Status Success. Admission sees the Eviction as CREATE on pods/eviction.
import { POD_CONDITIONS, validateEviction, type DeleteOptions as EvictionDeleteOptions, type Eviction, type KubeObject, type Pod, type Condition } from '@kite/api-types';
import { badRequest, conflict, invalid, isApiError, successStatus } from '@kite/apimachinery';
import type { AdmissionAttributes } from '../../admission/interface.js';
import { now } from '../meta.js';
import type { DeleteOptions, RestStorage, WriteOptions } from '../rest.js';
import { groupResource, type RequestScope } from '../scope.js';
import { budgetsFor, checkAndDecrement, multipleBudgets, stillProcessing } from './budget.js';

/** The DisruptionTarget condition's reason and message for an eviction (Kubernetes' words). */
export const EVICTION_REASON = 'EvictionByEvictionAPI';
const EVICTION_CONDITION_MESSAGE = 'Eviction API: evicting';
/** Re-reads of the pod when it changes under a direct delete (Kubernetes' EvictionsRetry steps). */
const MAX_EVICTION_ATTEMPTS = 8;
/** Eviction apiVersions accepted in the body (Kubernetes still accepts v1beta1). */
const EVICTION_VERSIONS = new Set(['policy/v1', 'policy/v1beta1']);

/** Decodes and checks the body: an Eviction naming the pod of the path, with valid delete options. */
function parseEviction(body: unknown, name: string): Eviction {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a JSON object');
  const e = body as Partial<Eviction> & { apiVersion?: unknown; kind?: unknown };
  if ((e.apiVersion !== undefined && !EVICTION_VERSIONS.has(String(e.apiVersion))) || (e.kind !== undefined && e.kind !== 'Eviction')) {
    throw badRequest(`the API version in the data (${String(e.apiVersion)}) and kind (${String(e.kind)}) do not match the expected policy/v1, Kind=Eviction`);
  }
  const eviction: Eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: typeof e.metadata === 'object' && e.metadata !== null ? e.metadata : {}, ...(e.deleteOptions ? { deleteOptions: e.deleteOptions } : {}) };
  if (eviction.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const causes = validateEviction(eviction);
  if (causes.length > 0) throw invalid({ group: 'policy', kind: 'Eviction' }, name, causes);
  return eviction;
}

function deleteOptionsOf(o: EvictionDeleteOptions | undefined, dryRun: boolean): DeleteOptions {
  const opts: DeleteOptions = {};
  if (o?.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o?.propagationPolicy !== undefined) opts.propagationPolicy = o.propagationPolicy;
  if (o?.preconditions) opts.preconditions = { ...o.preconditions };
  if (dryRun || o?.dryRun?.includes('All')) opts.dryRun = true;
  return opts;
}

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === POD_CONDITIONS.Ready && c.status === 'True') ?? false;
const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
/** Pods that caused (or cannot cause) their disruption already: no budget is consulted. */
const canIgnoreBudget = (pod: Pod) => isTerminal(pod) || pod.status?.phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
const withResourceVersion = (opts: DeleteOptions, rv: string | undefined): DeleteOptions => ({ ...opts, preconditions: { ...opts.preconditions, ...(rv ? { resourceVersion: rv } : {}) } });

export interface EvictionRequest {
  rest: RestStorage;
  /** The pods scope of the request (subresource `eviction`). */
  scope: RequestScope;
  name: string;
  body: unknown;
  write: WriteOptions;
}

export async function evictPod(r: EvictionRequest): Promise<KubeObject> {
  const eviction = parseEviction(r.body, r.name);
  await admit(r, eviction);
  const opts = deleteOptionsOf(eviction.deleteOptions, r.write.dryRun ?? false);
  const podScope: RequestScope = { ...r.scope, subresource: undefined };
  const pinned = opts.preconditions?.resourceVersion !== undefined;
  for (let attempt = 0; ; attempt++) {
    const pod = await r.rest.get<Pod>(podScope, r.name);
    try {
      if (canIgnoreBudget(pod)) {
        await deleteWithCondition(r.rest, podScope, r.name, isTerminal(pod) || pod.metadata.deletionTimestamp || pinned ? opts : withResourceVersion(opts, pod.metadata.resourceVersion));
        return success();
      }
      await evictUnderBudget(r.rest, podScope, pod, opts);
      return success();
    } catch (err) {
      // A pod that changed under a direct delete is looked at again, unless the client pinned a version.
      const retry = isApiError(err) && err.code === 409 && !pinned && canIgnoreBudget(pod) && attempt < MAX_EVICTION_ATTEMPTS;
      if (!retry) throw err;
    }
  }
}

async function evictUnderBudget(rest: RestStorage, podScope: RequestScope, pod: Pod, opts: DeleteOptions): Promise<void> {
  const name = pod.metadata.name ?? '';
  const budgets = await budgetsFor(rest, pod);
  if (budgets.length > 1) throw multipleBudgets();
  const pdb = budgets[0];
  if (!pdb) return deleteWithCondition(rest, podScope, name, opts);
  const pdbName = pdb.metadata.name ?? '';
  const st = pdb.status ?? {};
  const unhealthyMayGo = !isReady(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0));
  if (unhealthyMayGo) {
    // Guarded by the pod's resourceVersion: had it turned Ready meanwhile, it would count again.
    try {
      return await deleteWithCondition(rest, podScope, name, opts.preconditions?.resourceVersion ? opts : withResourceVersion(opts, pod.metadata.resourceVersion));
    } catch (err) {
      if (isApiError(err) && err.code === 409 && !opts.preconditions?.resourceVersion) throw stillProcessing(pdbName);
      throw err;
    }
  }
  await checkAndDecrement(rest, pod.metadata.namespace ?? '', pdbName, name, opts.dryRun ?? false);
  return deleteWithCondition(rest, podScope, name, opts);
}

/**
 * Marks the pod DisruptionTarget (checking the preconditions against the latest pod first, as the
 * delete would), then deletes it; a resourceVersion precondition moves to the version just written.
 */
async function deleteWithCondition(rest: RestStorage, podScope: RequestScope, name: string, opts: DeleteOptions): Promise<void> {
  let deleteOpts = opts;
  if (!opts.dryRun) {
    const updated = await rest.guaranteedUpdate(podScope, name, (current) => {
      const pod = current as unknown as Pod;
      checkPreconditions(podScope, name, pod, opts.preconditions);
      if (pod.metadata.deletionTimestamp) return current;
      const at = now();
      const condition: Condition = { type: POD_CONDITIONS.DisruptionTarget, status: 'True', reason: EVICTION_REASON, message: EVICTION_CONDITION_MESSAGE, lastTransitionTime: at, lastProbeTime: null };
      const st = (pod.status ??= {});
      st.conditions = [...(st.conditions ?? []).filter((c) => c.type !== POD_CONDITIONS.DisruptionTarget), condition];
      return current;
    });
    if (opts.preconditions?.resourceVersion) deleteOpts = withResourceVersion(opts, updated.metadata.resourceVersion);
  }
  await rest.delete(podScope, name, deleteOpts);
}

function checkPreconditions(scope: RequestScope, name: string, pod: Pod, pre: DeleteOptions['preconditions']): void {
  if (pre?.uid && pre.uid !== pod.metadata.uid) {
    throw conflict(groupResource(scope.rt), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
    throw conflict(groupResource(scope.rt), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion ?? ''}`);
  }
}

/** Admission sees the eviction as a CREATE of pods/eviction (NamespaceLifecycle refuses it in a terminating namespace). */
async function admit(r: EvictionRequest, eviction: Eviction): Promise<void> {
  const admission = r.rest.admission;
  const user = r.write.user;
  if (!admission || !user) return;
  const attrs: AdmissionAttributes = {
    operation: 'CREATE',
    rt: r.scope.rt,
    subresource: 'eviction',
    namespace: r.scope.namespace ?? '',
    name: r.name,
    user,
    dryRun: r.write.dryRun ?? false,
    warnings: r.write.warnings ?? [],
    auditAnnotations: r.write.auditAnnotations ?? {},
  };
  const obj = eviction as unknown as KubeObject;
  await admission.admit(attrs, obj, undefined);
  await admission.validate(attrs, obj, undefined);
}

function success(): KubeObject {
  return { ...successStatus(), code: 201 } as unknown as KubeObject;
}
