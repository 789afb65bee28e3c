// hello-http as a WAGI handler: a WASI preview1 command run once per HTTP request, CGI-style.
// Why WAGI: a kilobyte-sized module without a JS engine inside instantiates in well under a
// millisecond, so a pod costs almost nothing while idle and each request is isolated.
// Protocol: the request arrives in env (REQUEST_METHOD, PATH_INFO, QUERY_STRING, HTTP_*)
// and stdin; the response is CGI headers, a blank line and the body on stdout.
import { envOr } from "../../common/env";
import { DEFAULT_VERSION } from "./version";

const pod = envOr("POD_NAME", "unknown");
const version = envOr("VERSION", DEFAULT_VERSION);
const path = envOr("PATH_INFO", "/");

if (path == "/healthz") {
  process.stdout.write("content-type: text/plain\nstatus: 200\n\nok\n");
} else {
  const body = "hello from " + pod + " version " + version + "\n";
  process.stdout.write("content-type: text/plain\nx-pod-name: " + pod + "\nstatus: 200\n\n" + body);
}
