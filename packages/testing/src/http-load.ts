// Bounded HTTP load on loopback for autoscaling tests and benchmarks: `concurrency` loops send
// GETs round-robin to the URLs `targets()` returns (re-read every TARGETS_REFRESH_MS, so new pods
// share the load as they become ready), until `until()` says so or `maxMs` has passed, whichever
// comes first. Failed requests count too: the point is CPU on the pods, not answers.

/** How often the target list (the ready pods) and the stop condition are re-read. */
const TARGETS_REFRESH_MS = 250;

export interface HttpLoadOptions {
  /** The URLs to spread requests over; re-read while the load runs. */
  targets: () => Promise<string[]>;
  /** Stop early once this answers true (checked every TARGETS_REFRESH_MS). */
  until?: () => Promise<boolean>;
  maxMs: number;
  concurrency: number;
}

/** Runs the load; resolves with the number of requests sent once it has stopped. */
export async function httpLoad(o: HttpLoadOptions): Promise<number> {
  const deadline = Date.now() + o.maxMs;
  let requests = 0;
  let done = false;
  let urls = await o.targets();
  const loop = async (i: number) => {
    while (!done && Date.now() < deadline) {
      const url = urls[(requests + i) % Math.max(urls.length, 1)];
      if (!url) {
        await new Promise((r) => setTimeout(r, TARGETS_REFRESH_MS));
        continue;
      }
      await fetch(url).then((r) => r.arrayBuffer()).catch(() => undefined);
      requests++;
    }
  };
  const steer = (async () => {
    while (!done && Date.now() < deadline) {
      if (o.until && (await o.until())) break;
      urls = await o.targets();
      await new Promise((r) => setTimeout(r, TARGETS_REFRESH_MS));
    }
    done = true;
  })();
  await Promise.all([steer, ...Array.from({ length: o.concurrency }, (_, i) => loop(i))]);
  return requests;
}
