import type { Container } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/framework/status.js';
import { isWasmImage, podRuntimes, RuntimeClass, runtimeLabel } from '../../src/plugins/runtime-class/runtime-class.js';
import { cacheWith, node, pod, runFilter } from '../helpers/builders.js';

const only = (name: string, ...runtimes: string[]) => {
  const n = node(name);
  n.metadata.labels = { 'kubernetes.io/hostname': name, ...Object.fromEntries(runtimes.map((r) => [runtimeLabel(r), 'true'])) };
  return n;
};
const withImages = (images: string[], runtimeClassName?: string, init: string[] = []) =>
  pod('p', {}, { spec: { containers: images.map((image, i): Container => ({ name: `c${i}`, image })), initContainers: init.map((image, i) => ({ name: `i${i}`, image })), runtimeClassName } });

describe('RuntimeClass', () => {
  it.each<{ name: string; nodeRuntimes: string[]; images: string[]; runtimeClassName?: string; init?: string[]; want: Code; reason?: string }>([
    { name: 'docker image on a docker node', nodeRuntimes: ['docker'], images: ['nginx:1.27'], want: Code.Success },
    { name: 'docker image on a wasm-only node', nodeRuntimes: ['wasm'], images: ['nginx:1.27'], want: Code.UnschedulableAndUnresolvable, reason: "node(s) didn't offer the docker runtime" },
    { name: '.wasm file on a wasm node', nodeRuntimes: ['wasm'], images: ['/srv/hello.wasm'], want: Code.Success },
    { name: '.wasm URL on a docker-only node', nodeRuntimes: ['docker'], images: ['https://example.test/app.wasm?v=2'], want: Code.UnschedulableAndUnresolvable, reason: "node(s) didn't offer the wasm runtime" },
    { name: 'runtimeClassName wins over the image', nodeRuntimes: ['docker'], images: ['/srv/hello.wasm'], runtimeClassName: 'docker', want: Code.Success },
    { name: 'runtimeClassName wasm on a docker node', nodeRuntimes: ['docker'], images: ['busybox'], runtimeClassName: 'wasm', want: Code.UnschedulableAndUnresolvable, reason: "node(s) didn't offer the wasm runtime" },
    { name: 'mixed pod needs both', nodeRuntimes: ['wasm'], images: ['a.wasm'], init: ['busybox'], want: Code.UnschedulableAndUnresolvable, reason: "node(s) didn't offer the docker runtime" },
    { name: 'mixed pod on a node with both', nodeRuntimes: ['wasm', 'docker'], images: ['a.wasm'], init: ['busybox'], want: Code.Success },
    { name: 'a node advertising nothing', nodeRuntimes: [], images: ['busybox'], want: Code.UnschedulableAndUnresolvable },
  ])('$name', ({ nodeRuntimes, images, runtimeClassName, init, want, reason }) => {
    const out = runFilter(new RuntimeClass(), withImages(images, runtimeClassName, init), cacheWith([only('n', ...nodeRuntimes)]), 'n');
    expect(out.code).toBe(want);
    if (reason) expect(out.reasons).toEqual([reason]);
  });

  it.each<[string, boolean]>([
    ['hello.wasm', true],
    ['/abs/path/HELLO.WASM', true],
    ['file:///tmp/x', true],
    ['https://h.test/m.wasm#frag', true],
    ['nginx:1.27', false],
    ['registry.local:5000/team/app@sha256:abc', false],
  ])('isWasmImage(%s) = %s', (image, want) => expect(isWasmImage(image)).toBe(want));

  it('lists the runtimes a pod needs, sorted', () => {
    expect(podRuntimes(withImages(['a.wasm', 'busybox']).spec)).toEqual(['docker', 'wasm']);
  });
});
