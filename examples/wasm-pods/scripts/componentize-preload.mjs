// Preloaded (node --import) into the componentize child process, for two workarounds:
// 1. componentize-js imports @bytecodealliance/preview2-shim without depending on it, and
//    npm does not hoist the shim to the root node_modules here; a resolve hook sends those
//    imports to this package's own copy.
// 2. preview2-shim 0.25+ starts with no preopened directories, so componentize-js cannot
//    stat its inputs ("failed to get path metadata ... os error 44"); preopen "/" first.
import { register } from 'node:module';

const hooks = `
const SHIM = '@bytecodealliance/preview2-shim';
export async function resolve(specifier, context, next) {
  if (specifier === SHIM || specifier.startsWith(SHIM + '/')) return next(specifier, { ...context, parentURL: ${JSON.stringify(import.meta.url)} });
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

const filesystem = await import('@bytecodealliance/preview2-shim/filesystem');
filesystem._setPreopens({ '/': '/' });
