// VolumeError: a volume cannot be set up yet (a missing object, an unbound claim, a bad path).
// The pod syncer turns it into a FailedMount Warning and retries; any other error is unexpected.
export class VolumeError extends Error {}
