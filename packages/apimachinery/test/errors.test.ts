import { describe, expect, it } from 'vitest';
import type { Status } from '@kite/api-types';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  gone,
  internal,
  invalid,
  isAlreadyExists,
  isApiError,
  isConflict,
  isGone,
  isNotFound,
  methodNotAllowed,
  notAcceptable,
  notFound,
  serviceUnavailable,
  statusFromUnknown,
  successStatus,
  timeout,
  tooLarge,
  tooManyRequests,
  unauthorized,
  unprocessable,
  unsupportedMediaType,
} from '../src/index.js';

const pods = { group: '', plural: 'pods' };
const deployments = { group: 'apps', plural: 'deployments' };
const required = (field: string) => ({ reason: 'FieldValueRequired' as const, field, message: 'Required value' });

describe('error factories', () => {
  it.each<{ name: string; err: ApiError; code: number; reason: string; message: string; details?: Status['details'] }>([
    { name: 'not found, core group', err: notFound(pods, 'x'), code: 404, reason: 'NotFound', message: 'pods "x" not found', details: { name: 'x', group: '', kind: 'pods' } },
    { name: 'not found, named group', err: notFound(deployments, 'x'), code: 404, reason: 'NotFound', message: 'deployments.apps "x" not found', details: { name: 'x', group: 'apps', kind: 'deployments' } },
    { name: 'already exists', err: alreadyExists(pods, 'x'), code: 409, reason: 'AlreadyExists', message: 'pods "x" already exists', details: { name: 'x', group: '', kind: 'pods' } },
    {
      name: 'conflict',
      err: conflict(pods, 'x'),
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'x', group: '', kind: 'pods' },
    },
    {
      name: 'invalid, one cause',
      err: invalid('Pod', 'x', [required('spec.containers[0].image')]),
      code: 422,
      reason: 'Invalid',
      message: 'Pod "x" is invalid: spec.containers[0].image: Required value',
      details: { name: 'x', group: '', kind: 'Pod', causes: [required('spec.containers[0].image')] },
    },
    {
      name: 'invalid, several causes, named group',
      err: invalid({ group: 'apps', kind: 'Deployment' }, 'x', [required('spec.selector'), required('spec.template'), required('spec.selector')]),
      code: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "x" is invalid: [spec.selector: Required value, spec.template: Required value]',
    },
    { name: 'bad request', err: badRequest('bad'), code: 400, reason: 'BadRequest', message: 'bad' },
    { name: 'unauthorized', err: unauthorized(), code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
    {
      name: 'forbidden with a resource',
      err: forbidden(pods, 'x', 'User "bob" cannot get resource "pods"'),
      code: 403,
      reason: 'Forbidden',
      message: 'pods "x" is forbidden: User "bob" cannot get resource "pods"',
    },
    { name: 'forbidden without a resource', err: forbidden(undefined, '', 'no'), code: 403, reason: 'Forbidden', message: 'forbidden: no' },
    { name: 'method not allowed', err: methodNotAllowed({ group: '', plural: 'bindings' }, 'list'), code: 405, reason: 'MethodNotAllowed', message: 'list is not supported on resources of kind "bindings"' },
    { name: 'not acceptable', err: notAcceptable(['application/json']), code: 406, reason: 'NotAcceptable', message: 'only the following media types are accepted: application/json' },
    { name: 'gone', err: gone('gone'), code: 410, reason: 'Gone', message: 'gone' },
    { name: 'expired', err: expired('too old resource version: 1 (5)'), code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' },
    { name: 'too large', err: tooLarge('limit is 3145728'), code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' },
    {
      name: 'unsupported media type',
      err: unsupportedMediaType(['application/json', 'application/yaml']),
      code: 415,
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    },
    { name: 'unprocessable', err: unprocessable('test failed'), code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request: test failed' },
    { name: 'too many requests', err: tooManyRequests(5), code: 429, reason: 'TooManyRequests', message: 'Too many requests, please try again later.', details: { retryAfterSeconds: 5 } },
    {
      name: 'internal',
      err: internal('boom'),
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: boom',
      details: { causes: [{ reason: 'InternalError', message: 'boom', field: '' }] },
    },
    { name: 'service unavailable', err: serviceUnavailable('redis is down'), code: 503, reason: 'ServiceUnavailable', message: 'redis is down' },
    { name: 'timeout', err: timeout('request did not complete within 60s', 2), code: 504, reason: 'Timeout', message: 'Timeout: request did not complete within 60s', details: { retryAfterSeconds: 2 } },
  ])('$name', ({ err, code, reason, message, details }) => {
    expect(err).toBeInstanceOf(Error);
    expect(isApiError(err)).toBe(true);
    expect(err.code).toBe(code);
    expect(err.reason).toBe(reason);
    expect(err.message).toBe(message);
    expect(err.status).toMatchObject({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });
    if (details !== undefined) expect(err.status.details).toEqual(details);
  });
});

describe('statusFromUnknown', () => {
  const stack = new Error('secret path /home/x').stack ?? '';
  it.each<{ name: string; thrown: unknown; code: number; reason: string; message: string }>([
    { name: 'an ApiError keeps its status', thrown: notFound(pods, 'x'), code: 404, reason: 'NotFound', message: 'pods "x" not found' },
    { name: 'a plain Error is a 500 with its message', thrown: new Error('boom'), code: 500, reason: 'InternalError', message: 'Internal error occurred: boom' },
    { name: 'a string', thrown: 'oops', code: 500, reason: 'InternalError', message: 'Internal error occurred: oops' },
    { name: 'undefined', thrown: undefined, code: 500, reason: 'InternalError', message: 'Internal error occurred: unknown error' },
    {
      name: 'an HTTP framework error keeps its 4xx',
      thrown: Object.assign(new Error('Body cannot be empty'), { statusCode: 400 }),
      code: 400,
      reason: 'BadRequest',
      message: 'Body cannot be empty',
    },
    { name: 'a 413 from the body parser', thrown: Object.assign(new Error('too big'), { statusCode: 413 }), code: 413, reason: 'RequestEntityTooLarge', message: 'too big' },
    {
      name: 'a Status object passes through',
      thrown: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 409, reason: 'Conflict', message: 'c', metadata: {} },
      code: 409,
      reason: 'Conflict',
      message: 'c',
    },
    { name: 'an error whose message is its stack-free text', thrown: Object.assign(new Error('x'), { stack }), code: 500, reason: 'InternalError', message: 'Internal error occurred: x' },
  ])('$name', ({ thrown, code, reason, message }) => {
    const status = statusFromUnknown(thrown);
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
    expect(JSON.stringify(status)).not.toContain('at ');
    expect(JSON.stringify(status)).not.toContain('/home/x');
  });

  it('returns a copy, not the error’s own status', () => {
    const err = notFound(pods, 'x');
    const status = statusFromUnknown(err);
    status.message = 'changed';
    expect(err.status.message).toBe('pods "x" not found');
  });
});

describe('predicates', () => {
  it.each<{ name: string; err: unknown; want: Record<string, boolean> }>([
    { name: 'not found', err: notFound(pods, 'x'), want: { isNotFound: true, isConflict: false, isAlreadyExists: false, isGone: false } },
    { name: 'conflict', err: conflict(pods, 'x'), want: { isNotFound: false, isConflict: true, isAlreadyExists: false, isGone: false } },
    { name: 'already exists', err: alreadyExists(pods, 'x'), want: { isNotFound: false, isConflict: false, isAlreadyExists: true, isGone: false } },
    { name: 'expired', err: expired('old'), want: { isNotFound: false, isConflict: false, isAlreadyExists: false, isGone: true } },
    { name: 'gone', err: gone('old'), want: { isNotFound: false, isConflict: false, isAlreadyExists: false, isGone: true } },
    { name: 'a plain error', err: new Error('x'), want: { isNotFound: false, isConflict: false, isAlreadyExists: false, isGone: false } },
  ])('$name', ({ err, want }) => {
    expect({ isNotFound: isNotFound(err), isConflict: isConflict(err), isAlreadyExists: isAlreadyExists(err), isGone: isGone(err) }).toEqual(want);
  });

  it.each([
    { name: 'ApiError', x: badRequest('x'), want: true },
    { name: 'rebuilt from a Status', x: ApiError.fromStatus(notFound(pods, 'x').status), want: true },
    { name: 'plain Error', x: new Error('x'), want: false },
    { name: 'null', x: null, want: false },
    { name: 'Status object', x: notFound(pods, 'x').status, want: false },
  ])('isApiError: $name', ({ x, want }) => {
    expect(isApiError(x)).toBe(want);
  });
});

describe('successStatus', () => {
  it.each([
    { name: 'with details', details: { name: 'x', group: 'apps', kind: 'deployments', uid: 'u1' }, want: { details: { name: 'x', group: 'apps', kind: 'deployments', uid: 'u1' } } },
    { name: 'without details', details: undefined, want: {} },
  ])('$name', ({ details, want }) => {
    expect(successStatus(details)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200, ...want });
  });
});
