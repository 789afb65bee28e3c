// Runs a built script of this app (dist/dns-main.js) as a child process.
export { startScript } from '@kite/testing';
