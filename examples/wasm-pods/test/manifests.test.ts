// The example manifests must work as written from a fresh clone after `npm run build`:
// every image they name is a relative reference that resolves under this folder to a built
// module, and hello-http's Service, Deployment and Pod agree on labels and ports.
// The AssemblyScript images are built here if `npm run build` has not run (a few seconds).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Container {
  name: string;
  image: string;
  ports?: Array<{ containerPort: number }>;
}
interface PodSpec {
  runtimeClassName?: string;
  containers: Container[];
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: PodSpec & {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    ports?: Array<{ port: number; targetPort: number }>;
  };
}

function manifests(): Array<{ file: string; doc: Manifest }> {
  const out: Array<{ file: string; doc: Manifest }> = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(root, dir.name)).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(join(root, dir.name, file), 'utf8');
      for (const doc of parseAllDocuments(text)) out.push({ file: `${dir.name}/${file}`, doc: doc.toJS() as Manifest });
    }
  }
  return out;
}

function podSpecs(): Array<{ file: string; spec: PodSpec }> {
  return manifests().flatMap(({ file, doc }) => {
    if (doc.kind === 'Pod' && doc.spec) return [{ file, spec: doc.spec }];
    if (doc.kind === 'Deployment' && doc.spec?.template) return [{ file, spec: doc.spec.template.spec }];
    return [];
  });
}

describe('example manifests', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', env: { ...process.env, KITE_WASM_COMPONENTS: '0' } });
  });

  it('include a pod.yaml in every example folder, and hello-http a deployment and service', () => {
    for (const dir of ['hello-http', 'batch', 'spin', 'memhog']) expect(existsSync(join(root, dir, 'pod.yaml'))).toBe(true);
    expect(existsSync(join(root, 'hello-http/deployment.yaml'))).toBe(true);
    expect(existsSync(join(root, 'hello-http/service.yaml'))).toBe(true);
  });

  it.each(podSpecs().map(({ file, spec }) => ({ file, spec })))('$file names built Wasm images by relative path', ({ spec }) => {
    // The built-in Wasm runtime, or the wasmer plugin the launcher starts beside it.
    expect(['wasm', 'wasmer']).toContain(spec.runtimeClassName);
    for (const container of spec.containers) {
      expect(container.image).toMatch(/^[a-z0-9-]+\/build\/[a-z0-9-]+\.wasm$/);
      expect(existsSync(join(root, container.image)), `${container.image} is built (run npm run build)`).toBe(true);
    }
  });

  it('hello-http: the Service selects the Deployment pods and maps port 80 to 8080', () => {
    const docs = manifests().filter((m) => m.file.startsWith('hello-http/')).map((m) => m.doc);
    const service = docs.find((d) => d.kind === 'Service');
    const deployment = docs.find((d) => d.kind === 'Deployment');
    expect(service?.spec?.selector).toEqual({ app: 'hello-http' });
    expect(service?.spec?.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 8080 })]);
    expect(deployment?.spec?.selector?.matchLabels).toEqual({ app: 'hello-http' });
    expect(deployment?.spec?.template?.metadata.labels).toMatchObject({ app: 'hello-http' });
    expect(deployment?.spec?.template?.spec.containers[0]?.ports).toEqual([{ containerPort: 8080 }]);
  });
});
