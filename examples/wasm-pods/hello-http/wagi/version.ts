// The version string compiled into the hello-http image. The build replaces this file's
// contents per image variant (v1, v2) so that a Deployment's rolling update can switch
// between two images that answer differently; env VERSION overrides it at run time.
export const DEFAULT_VERSION = "dev";
