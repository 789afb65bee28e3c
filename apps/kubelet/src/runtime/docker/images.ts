// The ImageService half of the Docker runtime: image presence, pulls and ids, on the engine's own
// image store. A pull goes to the registry the reference names and is bounded in time: here no
// registry is reachable (BRIEF §7), so a missing image must fail quickly as ErrImagePull, naming
// the image, rather than hang the pod worker. The bound is on silence, not on size: a pull is
// abandoned when the engine reports no progress for a while, so a big image still arrives.
import type Dockerode from 'dockerode';
import { ImagePullError } from '@kite/cri';
import type { ImageInfo } from '@kite/cri';
import { engineMessage, statusOf, tolerate } from './engine.js';
import { followProgress, localImageId } from './local-images.js';

/** A pull with no progress message for this long counts as failed (ErrImagePull, back-off). */
export const DEFAULT_PULL_STALL_MS = 15_000;
/** No pull takes longer than this, progress or not. */
export const MAX_PULL_MS = 10 * 60_000;

/** The scheme Kubernetes' dockershim gave image ids: `docker-pullable://` with a repo digest. */
const PULLABLE = 'docker-pullable://';
/** ... and `docker://` with the image id for images that came from no registry. */
const LOCAL = 'docker://';

type InspectedImage = Pick<Dockerode.ImageInspectInfo, 'Id' | 'RepoTags' | 'RepoDigests' | 'Size'>;

function toInfo(image: InspectedImage): ImageInfo {
  return { id: image.Id, references: [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])], size: image.Size };
}

/** `name` without tag or digest gets `:latest`, as the engine would read it. */
function withTag(ref: string): string {
  const lastSlash = ref.lastIndexOf('/');
  return ref.includes('@') || ref.lastIndexOf(':') > lastSlash ? ref : `${ref}:latest`;
}

export class DockerImages {
  /** Image id → the ref reported as imageID; ids are content hashes, so entries never go stale. */
  readonly #refs = new Map<string, string>();

  constructor(
    private readonly docker: Dockerode,
    private readonly pullStallMs = DEFAULT_PULL_STALL_MS,
  ) {}

  async pull(ref: string): Promise<string> {
    if (ref.trim() === '') throw new ImagePullError('InvalidImageName', 'image reference is empty');
    const abort = new AbortController();
    let stall: NodeJS.Timeout | undefined;
    const quiet = () => {
      clearTimeout(stall);
      stall = setTimeout(() => abort.abort(`no progress from the registry for ${this.pullStallMs / 1000}s`), this.pullStallMs);
    };
    const cap = setTimeout(() => abort.abort(`not done after ${MAX_PULL_MS / 1000}s`), MAX_PULL_MS);
    quiet();
    try {
      const progress = await this.docker.pull(withTag(ref), { abortSignal: abort.signal });
      await followProgress(this.docker, progress, quiet);
    } catch (error) {
      if (statusOf(error) === 400) throw new ImagePullError('InvalidImageName', `invalid image reference "${ref}": ${engineMessage(error)}`);
      const why = abort.signal.aborted ? String(abort.signal.reason) : engineMessage(error);
      throw new ImagePullError('ErrImagePull', `pulling image "${ref}" failed: ${why}`);
    } finally {
      clearTimeout(stall);
      clearTimeout(cap);
    }
    const id = await localImageId(this.docker, ref);
    if (!id) throw new ImagePullError('ErrImagePull', `image "${ref}" is not on the engine after its pull`);
    return id;
  }

  async status(ref: string): Promise<ImageInfo | undefined> {
    if (ref.trim() === '') return undefined;
    try {
      return toInfo(await this.docker.getImage(ref).inspect());
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 400) return undefined;
      throw new ImagePullError('ImageInspectError', `inspecting image "${ref}" failed: ${engineMessage(error)}`);
    }
  }

  async list(): Promise<ImageInfo[]> {
    return (await this.docker.listImages()).map((i) => toInfo({ Id: i.Id, RepoTags: i.RepoTags ?? [], RepoDigests: i.RepoDigests ?? [], Size: i.Size }));
  }

  async remove(ref: string): Promise<void> {
    await tolerate(this.docker.getImage(ref).remove(), 404);
  }

  /** The imageID a container status reports: the repo digest when there is one, else the id. */
  async imageRef(imageId: string): Promise<string> {
    const known = this.#refs.get(imageId);
    if (known) return known;
    let ref = `${LOCAL}${imageId}`;
    try {
      const digest = (await this.docker.getImage(imageId).inspect()).RepoDigests?.[0];
      if (digest) ref = `${PULLABLE}${digest}`;
    } catch {
      // The image may be gone while a container of it still exists: its id is still right.
    }
    this.#refs.set(imageId, ref);
    return ref;
  }
}
