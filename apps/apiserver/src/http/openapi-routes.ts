// OpenAPI routes; the documents are generated from the api-types schemas (openapi.ts).
import type { FastifyInstance } from 'fastify';

export function registerOpenApi(_app: FastifyInstance): void {}
