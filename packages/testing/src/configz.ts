// Reads a component's /livez and /configz over plain HTTP (scheduler, controller manager, proxy),
// as an operator would: /livez must answer 200 "ok" and /configz 200 with JSON, or this throws.
export interface ConfigzReading {
  /** The configuration under `name` in the /configz document. */
  config: Record<string, unknown>;
  /** The raw /configz body, to check that no secret is in it. */
  body: string;
}

/** `base` is `http://HOST:PORT`; `name` the key the component shows its config under. */
export async function readConfigz(base: string, name: string): Promise<ConfigzReading> {
  const livez = await fetch(`${base}/livez`);
  const alive = await livez.text();
  if (livez.status !== 200 || alive !== 'ok') throw new Error(`${base}/livez answered ${livez.status}: ${alive}`);
  const res = await fetch(`${base}/configz`);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${base}/configz answered ${res.status}: ${body}`);
  const config = (JSON.parse(body) as Record<string, Record<string, unknown> | undefined>)[name];
  if (!config) throw new Error(`${base}/configz has no ${JSON.stringify(name)}: ${body}`);
  return { config, body };
}
