// activationTarget: which Deployment the activator scales up for a Service.
import { describe, expect, it } from 'vitest';
import { SCALE_TO_ZERO_AFTER_ANNOTATION, type Deployment } from '@kite/api-types';
import { activationTarget } from '../../src/activator/match.js';
import { service } from '../support/objects.js';

interface Shape {
  namespace?: string;
  labels?: Record<string, string>;
  after?: string;
  deleting?: boolean;
}

function deployment(name: string, s: Shape = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: s.namespace ?? 'default',
      ...(s.after !== undefined ? { annotations: { [SCALE_TO_ZERO_AFTER_ANNOTATION]: s.after } } : {}),
      ...(s.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { selector: { matchLabels: s.labels ?? { app: 'web' } }, template: { metadata: { labels: s.labels ?? { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x.wasm' }] } } },
  } as Deployment;
}

const web = service('web', { selector: { app: 'web' } });

describe('activationTarget', () => {
  it.each([
    ['an annotated Deployment whose template the selector matches', web, [deployment('web', { after: '60s' })], 'web'],
    ['template labels beyond the selector still match', web, [deployment('web', { after: '5m', labels: { app: 'web', tier: 'fe' } })], 'web'],
    ['no annotation: not activated', web, [deployment('web')], undefined],
    ['an invalid annotation: not activated', web, [deployment('web', { after: 'soon' })], undefined],
    ['a zero duration: not activated', web, [deployment('web', { after: '0s' })], undefined],
    ['another namespace: not activated', web, [deployment('web', { after: '60s', namespace: 'other' })], undefined],
    ['a template the selector does not match', web, [deployment('web', { after: '60s', labels: { app: 'api' } })], undefined],
    ['a Deployment being deleted', web, [deployment('web', { after: '60s', deleting: true })], undefined],
    ['a Service without a selector', service('web'), [deployment('web', { after: '60s' })], undefined],
    ['an empty selector', service('web', { selector: {} }), [deployment('web', { after: '60s' })], undefined],
    ['several candidates: the first by name', web, [deployment('web-b', { after: '60s' }), deployment('web-a', { after: '60s' }), deployment('plain')], 'web-a'],
    ['no Deployments', web, [], undefined],
  ])('%s', (_name, svc, deployments, want) => {
    expect(activationTarget(svc, deployments)?.metadata.name).toBe(want);
  });
});
