// Componentizes one JavaScript module: node --import ./componentize-preload.mjs
//   componentize-one.mjs SOURCE.js WIT_DIR OUT.wasm
// Run as a child process by components.mjs, so its ~800 MB stay out of the build process.
import { writeFile } from 'node:fs/promises';
import { componentize } from '@bytecodealliance/componentize-js';

const [sourcePath, witPath, out] = process.argv.slice(2);
if (!sourcePath || !witPath || !out) throw new Error('usage: componentize-one.mjs SOURCE WIT_DIR OUT');
const { component } = await componentize({ sourcePath, witPath });
await writeFile(out, component);
