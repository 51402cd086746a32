import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Page } from '../catalog/catalog-index.js';

/**
 * A catalog entry's JSON, as the route's zod serializer would write it (parsed by the item's
 * schema, so unknown keys are dropped and keys come in the schema's order), made once per
 * entry. Entries are the loaded catalog's own objects, replaced wholesale on every reload, so
 * an entry's identity is its version. Pages were bound by serialization: the serializer parsed
 * 30 entries a request, the same entries every time.
 */
const entryJson = new WeakMap<object, string>();

function jsonOf<T extends object>(value: T, item: z.ZodType<T>): string {
  let json = entryJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(item.parse(value));
    entryJson.set(value, json);
  }
  return json;
}

/**
 * Sends a page as the page schema (`{ items, nextCursor? }`) serializes it, from the entries'
 * cached JSON. Fastify sends a string with a JSON content type as it is, without the route's
 * serializer; the route keeps its response schema for the OpenAPI document.
 */
export function sendPage<T extends object>(
  reply: FastifyReply,
  page: Page<T>,
  item: z.ZodType<T>,
): FastifyReply {
  const items = page.items.map((v) => jsonOf(v, item)).join(',');
  const cursor =
    page.nextCursor === undefined ? '' : `,"nextCursor":${JSON.stringify(page.nextCursor)}`;
  return reply.type('application/json; charset=utf-8').send(`{"items":[${items}]${cursor}}`);
}
