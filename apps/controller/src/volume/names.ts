// The names the PV controllers share with Kubernetes and with the other kite parts (common
// interface: kubelet mounting, the scheduler's VolumeBinding plugin): annotations, finalizers,
// the built-in provisioner and the Event reasons `kubectl describe` shows.

/** Set on a claim whose binding the controller has completed (pv_controller's annBindCompleted). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** Set on a PV/PVC the controller bound (rather than a user pre-binding it). */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** Names the provisioner of a PV it created. */
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** Names the provisioner expected to provision a claim (and its beta spelling, still read by tools). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** The scheduler's choice of node for a WaitForFirstConsumer claim. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The value the boolean annotations above carry. */
export const ANN_YES = 'yes';

/** kite's built-in provisioner and its default class. */
export const LOCAL_PATH_PROVISIONER = 'kite.dev/local-path';
export const LOCAL_PATH_CLASS = 'local-path';
/** Finalizer on local-path PVs: the kubelet of the volume's node removes the directory, then it. */
export const LOCAL_PATH_CLEANUP_FINALIZER = 'kite.dev/local-path-cleanup';
/** Class parameter that lowers the largest volume local-path makes for that class. */
export const LOCAL_PATH_MAX_SIZE_PARAMETER = 'maxSize';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
/** The node label a PV's node affinity names. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export { IS_DEFAULT_CLASS_ANNOTATION as IS_DEFAULT_ANNOTATION } from '@kite/api-types';

/** Event reasons, as pkg/controller/volume/events names them. */
export const EVENT_FAILED_BINDING = 'FailedBinding';
export const EVENT_VOLUME_MISMATCH = 'VolumeMismatch';
export const EVENT_WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer';
export const EVENT_PROVISIONING_FAILED = 'ProvisioningFailed';
export const EVENT_PROVISIONING_SUCCEEDED = 'ProvisioningSucceeded';
export const EVENT_EXTERNAL_PROVISIONING = 'ExternalProvisioning';
export const EVENT_CLAIM_LOST = 'ClaimLost';
export const EVENT_CLAIM_MISBOUND = 'ClaimMisbound';
export const EVENT_VOLUME_FAILED_RECYCLE = 'VolumeFailedRecycle';
export const EVENT_VOLUME_RESIZE_SUCCESSFUL = 'VolumeResizeSuccessful';
export const EVENT_VOLUME_RESIZE_FAILED = 'VolumeResizeFailed';
export const EVENT_EXTERNAL_EXPANDING = 'ExternalExpanding';
