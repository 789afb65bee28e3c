// hello-http as a JavaScript wasi:http component (built with componentize-js).
// It exports `incomingHandler` explicitly, so one instance serves many requests (a
// `fetch` event listener would serve only one per instance). The environment is read on
// the first request, not at module top level: componentize-js pre-initialises the module
// at build time, when the pod's environment does not exist yet.
import { getEnvironment } from 'wasi:cli/environment@0.2.10';
import { Fields, OutgoingBody, OutgoingResponse, ResponseOutparam } from 'wasi:http/types@0.2.10';
import { DEFAULT_VERSION } from './version.js';

const encoder = new TextEncoder();
let settings;

function loadSettings() {
  const env = new Map(getEnvironment());
  const pick = (name, fallback) => {
    const value = env.get(name);
    return value ? value : fallback;
  };
  return { pod: pick('POD_NAME', 'unknown'), version: pick('VERSION', DEFAULT_VERSION) };
}

function respond(responseOut, status, text) {
  const headers = Fields.fromList([['content-type', encoder.encode('text/plain')]]);
  const response = new OutgoingResponse(headers);
  response.setStatusCode(status);
  const body = response.body();
  const stream = body.write();
  stream.blockingWriteAndFlush(encoder.encode(text));
  stream[Symbol.dispose]();
  OutgoingBody.finish(body, undefined);
  ResponseOutparam.set(responseOut, { tag: 'ok', val: response });
}

export const incomingHandler = {
  handle(request, responseOut) {
    settings ??= loadSettings();
    const path = (request.pathWithQuery() ?? '/').split('?')[0];
    if (path === '/healthz') return respond(responseOut, 200, 'ok\n');
    respond(responseOut, 200, `hello from ${settings.pod} version ${settings.version}\n`);
  },
};
