import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** Validators of the vendored upstream MCP registry documents (schemas/specs/mcp-registry). */
export function mcpRegistryValidators(): {
  serverJson: ValidateFunction;
  serverList: ValidateFunction;
  serverResponse: ValidateFunction;
} {
  const draft7 = new Ajv({ strict: false, allErrors: true });
  addFormats.default(draft7);
  const serverJson = draft7.compile(
    JSON.parse(readFileSync('schemas/specs/mcp-registry/server.schema.2025-12-11.json', 'utf8')),
  );
  const oas = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(oas);
  const doc = parse(readFileSync('schemas/specs/mcp-registry/openapi.yaml', 'utf8')) as object;
  oas.addSchema({ ...doc, $id: 'mcp-registry-openapi' });
  return {
    serverJson,
    serverList: oas.getSchema('mcp-registry-openapi#/components/schemas/ServerList')!,
    serverResponse: oas.getSchema('mcp-registry-openapi#/components/schemas/ServerResponse')!,
  };
}
