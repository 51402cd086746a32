import { celEnv, celError, parse, plan, type CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** A planned CEL program: bindings in, value or CelError out. */
export type CelProgram = (bindings: Record<string, unknown>) => CelResult;

// Standard CEL plus the strings extension: what Kubernetes and Kyverno expressions use
// (split, lowerAscii, …). One environment for CRD rules and guardrails alike.
const ENV = celEnv({ funcs: strings });
const programs = new Map<string, CelProgram>();

/**
 * Parses and plans an expression once per process: the same CRD rule or guardrail runs over
 * hundreds of objects. A parse error becomes a program that returns that error, so callers
 * report it like any failed evaluation instead of crashing.
 */
export function compileCel(expression: string): CelProgram {
  let program = programs.get(expression);
  if (!program) {
    try {
      program = plan(ENV, parse(expression)) as unknown as CelProgram;
    } catch (err) {
      const failure = celError(err as Error);
      program = () => failure;
    }
    programs.set(expression, program);
  }
  return program;
}
