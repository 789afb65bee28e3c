import type { ContainerPort } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/framework/status.js';
import { NodePorts } from '../../src/plugins/node-ports/node-ports.js';
import { cacheWith, node, pod, runFilter } from '../helpers/builders.js';

const withPorts = (name: string, ports: ContainerPort[], nodeName?: string) =>
  pod(name, {}, { nodeName, spec: { containers: [{ name: 'c', image: 'x', ports }] } });
const hp = (hostPort: number, extra: Partial<ContainerPort> = {}): ContainerPort => ({ containerPort: 8080, hostPort, ...extra });

describe('NodePorts', () => {
  it.each<{ name: string; used: ContainerPort[]; wanted: ContainerPort[]; want: Code }>([
    { name: 'no host ports wanted', used: [hp(80)], wanted: [{ containerPort: 80 }], want: Code.Success },
    { name: 'free port', used: [hp(80)], wanted: [hp(81)], want: Code.Success },
    { name: 'same port, TCP on all addresses', used: [hp(80)], wanted: [hp(80)], want: Code.Unschedulable },
    { name: 'same port, other protocol', used: [hp(80)], wanted: [hp(80, { protocol: 'UDP' })], want: Code.Success },
    { name: 'same port, two specific addresses', used: [hp(80, { hostIP: '127.0.0.2' })], wanted: [hp(80, { hostIP: '127.0.0.3' })], want: Code.Success },
    { name: 'specific address vs all addresses', used: [hp(80, { hostIP: '127.0.0.2' })], wanted: [hp(80)], want: Code.Unschedulable },
    { name: 'all addresses vs specific address', used: [hp(80)], wanted: [hp(80, { hostIP: '127.0.0.3' })], want: Code.Unschedulable },
  ])('$name', ({ used, wanted, want }) => {
    const cache = cacheWith([node('n')], [withPorts('existing', used, 'n')]);
    const out = runFilter(new NodePorts(), withPorts('p', wanted), cache, 'n');
    expect(out.code).toBe(want);
    if (want !== Code.Success) expect(out.reasons).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
  });

  it('a deleted pod frees its port', () => {
    const cache = cacheWith([node('n')], [withPorts('existing', [hp(80)], 'n')]);
    cache.removePod('default/existing');
    expect(runFilter(new NodePorts(), withPorts('p', [hp(80)]), cache, 'n').code).toBe(Code.Success);
  });
});
