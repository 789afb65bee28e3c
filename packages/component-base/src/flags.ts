// Command-line flags that also read environment variables (BRIEF §9: flags win over the
// environment, which wins over the default).
import { Command, Option } from 'commander';

export { Command, Option };

/** The environment variable a flag reads: `--redis-url` → `REDIS_URL`. */
export function envName(flag: string): string {
  return flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase();
}

/** A commander option `--name <value>` with an env fallback and a default. */
export function flag(name: string, description: string, defaultValue?: string): Option {
  const opt = new Option(`--${name} <value>`, description).env(envName(name));
  return defaultValue === undefined ? opt : opt.default(defaultValue);
}

/** A flag that may be given several times (`--NAME a --NAME b`); its value is the list, [] when absent. */
export function repeatableFlag(name: string, description: string): Option {
  return new Option(`--${name} <value>`, `${description} (repeatable)`).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]).default([]);
}

/** Parses an integer flag value, failing with the flag's name when it is not one. */
export function intFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got ${JSON.stringify(value)}`);
  return n;
}
