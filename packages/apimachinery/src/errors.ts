// API errors as Kubernetes' `Status` objects (BRIEF §1).
//
// Contract: every failure the apiserver answers is an `ApiError` carrying a complete `Status`
// (kind Status, apiVersion v1, status Failure, message, reason, code, details). The factories
// reproduce the exact message wording of Kubernetes' apimachinery errors, because kubectl and
// client libraries show those messages to users and some scripts match on them.
// `statusFromUnknown` turns anything thrown into a Status without ever exposing a stack trace.
import type { Status, StatusCause, StatusReason } from '@kite/api-types';

/** A REST resource as error messages name it: `pods`, or `deployments.apps` in a named group. */
export interface GroupResource {
  group: string;
  plural: string;
}

/** A kind as `invalid` names it: `Pod`, or `Deployment.apps` in a named group. */
export interface GroupKind {
  group: string;
  kind: string;
}

export type StatusDetails = NonNullable<Status['details']>;

/** The message Kubernetes uses for a 409 on a stale resourceVersion. */
export const CONFLICT_MODIFIED_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';
/** Default message of a 429, as Kubernetes' max-in-flight filter words it. */
export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.';
/** Seconds a client should wait after a 429 when the caller names none (Kubernetes uses 1). */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Brand so that `isApiError` also recognises errors built by another copy of this module. */
const API_ERROR_BRAND = Symbol.for('kite.apimachinery.ApiError');

/** An error the API reports to its clients as a Kubernetes `Status`. */
export class ApiError extends Error {
  readonly status: Status;
  readonly [API_ERROR_BRAND] = true;

  constructor(status: Status) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.name = 'ApiError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason ?? '';
  }

  /** Wraps a Status received from a server, e.g. in the client. */
  static fromStatus(status: Status): ApiError {
    return new ApiError(structuredClone(status));
  }
}

export function isApiError(x: unknown): x is ApiError {
  return x instanceof ApiError || (typeof x === 'object' && x !== null && API_ERROR_BRAND in x && 'status' in x);
}

/** Builds a Failure Status. `details` is left out when empty, as Kubernetes omits it. */
export function failureStatus(code: number, reason: StatusReason, message: string, details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details !== undefined && Object.keys(details).length > 0) status.details = details;
  return status;
}

function apiError(code: number, reason: StatusReason, message: string, details?: StatusDetails): ApiError {
  return new ApiError(failureStatus(code, reason, message, details));
}

/** `pods` or `deployments.apps`, as Kubernetes' GroupResource.String() prints it. */
export function qualifiedResource(resource: GroupResource): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

function qualifiedKind(kind: GroupKind): string {
  return kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
}

/** Details naming an object; Kubernetes puts the resource plural in `kind` for these errors. */
function resourceDetails(resource: GroupResource, name: string): StatusDetails {
  const details: StatusDetails = { group: resource.group, kind: resource.plural };
  if (name !== '') details.name = name;
  return details;
}

/** `pods "x"`, or just `pods` when there is no name. */
function resourceAndName(resource: GroupResource, name: string): string {
  return name === '' ? qualifiedResource(resource) : `${qualifiedResource(resource)} ${JSON.stringify(name)}`;
}

export function notFound(resource: GroupResource, name: string): ApiError {
  return apiError(404, 'NotFound', `${resourceAndName(resource, name)} not found`, resourceDetails(resource, name));
}

export function alreadyExists(resource: GroupResource, name: string): ApiError {
  return apiError(409, 'AlreadyExists', `${resourceAndName(resource, name)} already exists`, resourceDetails(resource, name));
}

/** 409 Conflict; `detail` defaults to the stale-resourceVersion wording. */
export function conflict(resource: GroupResource, name: string, detail: string = CONFLICT_MODIFIED_MESSAGE): ApiError {
  return apiError(409, 'Conflict', `Operation cannot be fulfilled on ${resourceAndName(resource, name)}: ${detail}`, resourceDetails(resource, name));
}

/** One cause as Kubernetes' field.Error prints it: `spec.replicas: Invalid value: -1: ...`. */
function causeText(cause: StatusCause): string {
  return cause.field === '' ? cause.message : `${cause.field}: ${cause.message}`;
}

/** Kubernetes' aggregate formatting: one error bare, several in brackets, duplicates once. */
function aggregate(causes: readonly StatusCause[]): string {
  const texts = [...new Set(causes.map(causeText))];
  if (texts.length === 1) return texts[0] ?? '';
  return `[${texts.join(', ')}]`;
}

/** 422 Invalid: `Pod "x" is invalid: spec.containers[0].image: Required value`. */
export function invalid(kind: GroupKind | string, name: string, causes: readonly StatusCause[]): ApiError {
  const gk = typeof kind === 'string' ? { group: '', kind } : kind;
  const subject = `${qualifiedKind(gk)} ${JSON.stringify(name)} is invalid`;
  const message = causes.length === 0 ? subject : `${subject}: ${aggregate(causes)}`;
  const details: StatusDetails = { name, group: gk.group, kind: gk.kind, causes: causes.map((c) => ({ ...c })) };
  return apiError(422, 'Invalid', message, details);
}

/** The message Kubernetes gives a 422 that is not about named fields (e.g. a failed JSON patch). */
export const UNPROCESSABLE_MESSAGE = 'the server rejected our request due to an error in our request';

/**
 * 422 Invalid for a request that is well-formed but cannot be carried out, such as a JSON patch
 * whose `test` fails: Kubernetes' generic wording, then what went wrong.
 */
export function unprocessable(detail: string, causes: readonly StatusCause[] = []): ApiError {
  const details: StatusDetails = causes.length > 0 ? { causes: causes.map((c) => ({ ...c })) } : {};
  return apiError(422, 'Invalid', `${UNPROCESSABLE_MESSAGE}: ${detail}`, details);
}

export function badRequest(message: string): ApiError {
  return apiError(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): ApiError {
  return apiError(401, 'Unauthorized', message);
}

/** 403; with a resource: `pods "x" is forbidden: <why>`, without: `forbidden: <why>`. */
export function forbidden(resource: GroupResource | undefined, name: string, why: string): ApiError {
  if (resource === undefined) return apiError(403, 'Forbidden', `forbidden: ${why}`);
  return apiError(403, 'Forbidden', `${resourceAndName(resource, name)} is forbidden: ${why}`, resourceDetails(resource, name));
}

/** 405: `deletecollection is not supported on resources of kind "bindings"`. */
export function methodNotAllowed(resource: GroupResource, action: string): ApiError {
  const message = `${action} is not supported on resources of kind ${JSON.stringify(qualifiedResource(resource))}`;
  return apiError(405, 'MethodNotAllowed', message, { group: resource.group, kind: resource.plural });
}

/** 406, worded as Kubernetes' content negotiation answers it. */
export function notAcceptable(accepted: readonly string[]): ApiError {
  return apiError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

/** 410 Gone, for a resource that existed and no longer does. */
export function gone(message: string): ApiError {
  return apiError(410, 'Gone', message);
}

/** 410 with reason Expired: a watch or continue token older than the retained history. */
export function expired(message: string): ApiError {
  return apiError(410, 'Expired', message);
}

export function tooLarge(message: string): ApiError {
  return apiError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/** 415, worded as Kubernetes' content negotiation answers it. */
export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  const message = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
  return apiError(415, 'UnsupportedMediaType', message);
}

export function tooManyRequests(retryAfterSeconds: number = DEFAULT_RETRY_AFTER_SECONDS, message = TOO_MANY_REQUESTS_MESSAGE): ApiError {
  return apiError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

/** 500 `Internal error occurred: <message>`; takes a message, never a stack. */
export function internal(message: string): ApiError {
  return apiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: 'InternalError', message, field: '' }] });
}

export function serviceUnavailable(message: string): ApiError {
  return apiError(503, 'ServiceUnavailable', message);
}

/** 504 `Timeout: <message>`, optionally telling the client when to retry. */
export function timeout(message: string, retryAfterSeconds?: number): ApiError {
  return apiError(504, 'Timeout', `Timeout: ${message}`, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
}

/** The `Status Success` body Kubernetes returns for some DELETEs. */
export function successStatus(details: StatusDetails = {}): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (Object.keys(details).length > 0) status.details = { ...details };
  return status;
}

/** The reason Kubernetes attaches to an HTTP code when nothing more specific is known. */
const REASON_BY_CODE: Readonly<Record<number, StatusReason>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonForCode(code: number): StatusReason {
  return REASON_BY_CODE[code] ?? '';
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** A thrown value that already is a Failure Status (e.g. parsed from a server response). */
function asFailureStatus(x: Record<string, unknown>): Status | undefined {
  if (x.kind !== 'Status' || x.status !== 'Failure' || typeof x.code !== 'number') return undefined;
  const message = typeof x.message === 'string' ? x.message : '';
  const reason = typeof x.reason === 'string' ? (x.reason as StatusReason) : reasonForCode(x.code);
  const details = isRecord(x.details) ? (structuredClone(x.details) as StatusDetails) : undefined;
  return failureStatus(x.code, reason, message, details);
}

/** Errors of HTTP frameworks (fastify, http-errors) carry their code as `statusCode`. */
function httpCodeOf(x: Record<string, unknown>): number | undefined {
  const code = x.statusCode;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599 ? code : undefined;
}

/**
 * Maps anything thrown to a Failure Status. ApiErrors and Status objects pass through; errors
 * with an HTTP `statusCode` keep it; everything else is a 500 carrying only the error's message.
 * Stacks, causes and other properties are never copied.
 */
export function statusFromUnknown(err: unknown): Status {
  if (isApiError(err)) return structuredClone(err.status);
  if (!isRecord(err)) return internal(typeof err === 'string' ? err : 'unknown error').status;
  const status = asFailureStatus(err);
  if (status !== undefined) return status;
  const message = typeof err.message === 'string' ? err.message : 'unknown error';
  const code = httpCodeOf(err);
  if (code === undefined || code === 500) return internal(message).status;
  return failureStatus(code, reasonForCode(code), message);
}

/** The reason of an ApiError, '' for anything else. */
export function reasonOf(err: unknown): StatusReason {
  return isApiError(err) ? err.reason : '';
}

export const isNotFound = (err: unknown): boolean => reasonOf(err) === 'NotFound';
export const isAlreadyExists = (err: unknown): boolean => reasonOf(err) === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => reasonOf(err) === 'Conflict';
export const isInvalid = (err: unknown): boolean => reasonOf(err) === 'Invalid';
/** Gone or Expired: the client must relist (a watch or continue token fell out of history). */
export const isGone = (err: unknown): boolean => reasonOf(err) === 'Gone' || reasonOf(err) === 'Expired';
export const isTooManyRequests = (err: unknown): boolean => reasonOf(err) === 'TooManyRequests';
