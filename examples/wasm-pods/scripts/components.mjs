// Builds the JS flavour of hello-http: a wasi:http incoming-handler component made with
// componentize-js. Filled in below; kept apart from build.mjs because it is slow and heavy.
export async function buildComponents() {}
