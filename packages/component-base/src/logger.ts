// Structured JSON-line logs (BRIEF §6), one logger per component, level from LOG_LEVEL.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(component: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: component, level, base: { component, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
