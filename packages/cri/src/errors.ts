// Typed failures of the container runtime interface (types.ts).
// Why classes with codes: callers branch on `code` / `reason` (retry, back off, report an
// Event) the way kubelet branches on CRI gRPC status codes and image pull reasons.

/** CRI-like status codes (a subset of gRPC's). */
export type RuntimeErrorCode = 'NotFound' | 'InvalidArgument' | 'FailedPrecondition' | 'Unimplemented' | 'Internal';

export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

/** Kubelet image pull reasons, as shown in a waiting container's `reason`. */
export type ImagePullReason = 'ErrImagePull' | 'InvalidImageName' | 'ImageInspectError';

export class ImagePullError extends RuntimeError {
  constructor(
    readonly reason: ImagePullReason,
    message: string,
  ) {
    super(reason === 'InvalidImageName' ? 'InvalidArgument' : 'NotFound', message);
    this.name = 'ImagePullError';
  }
}

export function isImagePullError(error: unknown): error is ImagePullError {
  return error instanceof ImagePullError;
}

export function isRuntimeError(error: unknown): error is RuntimeError {
  return error instanceof RuntimeError;
}

export function notFound(kind: 'sandbox' | 'container' | 'image', id: string): RuntimeError {
  return new RuntimeError('NotFound', `${kind} ${id} not found`);
}
