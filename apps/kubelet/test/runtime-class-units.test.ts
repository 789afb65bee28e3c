// Which handler runs a pod (pods/runtime-class.ts) and the --runtime-endpoint flag's form.
import { describe, expect, it } from 'vitest';
import type { Pod } from '@kite/api-types';
import { parseRuntimeEndpoint } from '../src/config.js';
import { resolveHandler } from '../src/pods/runtime-class.js';

const pod = (images: string[], runtimeClassName?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { ...(runtimeClassName ? { runtimeClassName } : {}), containers: images.map((image, i) => ({ name: `c${i}`, image })) },
});
const classes = new Map([['docker-like', { handler: 'docker' }], ['wasm-small', { handler: 'wasm' }], ['sandboxed', { handler: 'wasmer' }], ['broken', {}]]);
const lookup = (name: string) => classes.get(name);

describe('resolveHandler', () => {
  it.each([
    { images: ['hello.wasm'], rc: undefined, want: { handler: 'wasm' } },
    { images: ['busybox:1.36'], rc: undefined, want: { handler: 'docker' } },
    { images: ['http://127.0.0.1:8000/app.wasm?x=1'], rc: undefined, want: { handler: 'wasm' } },
    { images: ['a/b.wasm'], rc: 'docker-like', want: { handler: 'docker' } },
    { images: ['hello.wasm', 'busybox'], rc: undefined, want: { handler: 'docker' } },
    { images: ['busybox'], rc: 'wasm-small', want: { handler: 'wasm' } },
    { images: ['batch.wasm'], rc: 'sandboxed', want: { handler: 'wasmer' } },
    { images: ['batch.wasm'], rc: 'missing', want: { error: 'runtimeClass "missing" not found' } },
    { images: ['batch.wasm'], rc: 'broken', want: { error: 'runtimeClass "broken" has no handler' } },
  ])('$images with class $rc → $want', ({ images, rc, want }) => {
    expect(resolveHandler(pod(images, rc), lookup)).toEqual(want);
  });

  it('a hollow node that accepts any pod runs everything on hollow, even a missing class', () => {
    expect(resolveHandler(pod(['busybox']), lookup, true)).toEqual({ handler: 'hollow' });
    expect(resolveHandler(pod(['x.wasm'], 'missing'), lookup, true)).toEqual({ handler: 'hollow' });
  });
});

describe('parseRuntimeEndpoint', () => {
  it('takes HANDLER=unix:///PATH', () => {
    expect(parseRuntimeEndpoint('wasmer=unix:///run/kite/wasmer.sock')).toEqual({ handler: 'wasmer', socketPath: '/run/kite/wasmer.sock' });
  });
  it.each(['wasmer', 'wasmer=/run/x.sock', 'wasmer=unix://relative.sock', 'Bad_Name=unix:///x', '=unix:///x', 'tcp=tcp://127.0.0.1:1'])('refuses %s', (value) => {
    expect(() => parseRuntimeEndpoint(value)).toThrow('--runtime-endpoint must be HANDLER=unix:///PATH');
  });
});
