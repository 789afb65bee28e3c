// The version compiled into the hello-http component; the build replaces this file per
// image variant, and env VERSION overrides it at run time.
export const DEFAULT_VERSION = 'dev';
