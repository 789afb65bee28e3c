// AssemblyScript helpers for reading the environment and arguments a pod passes.
// Why: every example reads env vars with a default and scans its args for flags.

/** The value of env var `name`, or `fallback` when it is unset or empty. */
export function envOr(name: string, fallback: string): string {
  if (!process.env.has(name)) return fallback;
  const value = process.env.get(name);
  return value.length > 0 ? value : fallback;
}

/** The argument after flag `name` (e.g. `--config PATH`), or `fallback`. */
export function flagValue(name: string, fallback: string): string {
  const argv = process.argv;
  for (let i = 1; i + 1 < argv.length; i++) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

/** Whether flag `name` appears among the arguments. */
export function hasFlag(name: string): bool {
  const argv = process.argv;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] == name) return true;
  }
  return false;
}
