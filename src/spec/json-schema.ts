import { z } from 'zod';
import { environmentSpec } from './environment';
import { guardrailSpec } from './guardrail';
import { tenantSpec } from './tenant';

/**
 * JSON Schemas of the spec files, generated from the zod schemas (the single source), for
 * editors: `# yaml-language-server: $schema=…` at the top of a spec gives autocompletion and
 * inline errors. They describe the input (fields with defaults are optional).
 */
export function specJsonSchemas(): Map<string, string> {
  const render = (schema: z.ZodType, title: string, id: string) =>
    `${JSON.stringify({ ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), title, $id: id }, null, 2)}\n`;
  return new Map([
    [
      'environment.schema.json',
      render(
        environmentSpec,
        'agentic-platform environment (environments/<env>.yaml)',
        'environment.schema.json',
      ),
    ],
    [
      'guardrail.schema.json',
      render(
        guardrailSpec,
        'agentic-platform guardrail (policies/<id>.yaml)',
        'guardrail.schema.json',
      ),
    ],
    [
      'tenant.schema.json',
      render(tenantSpec, 'agentic-platform tenant (tenants/<tenant>.yaml)', 'tenant.schema.json'),
    ],
  ]);
}
