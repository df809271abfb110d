import { encodeOctueJson } from '../core/json';
import type { QuestionAnswer } from '../service/event-handler';
import type { CliContext } from './context';

/**
 * An answer in the form Octue's CLI prints it: `{"output_values": …, "output_manifest": …}`, the manifest as its
 * primitive.
 * @param outputValues - The output values.
 * @param outputManifest - The output manifest (a Manifest, its primitive, or nothing).
 * @returns The printable answer.
 */
export function printableAnswer(outputValues: unknown, outputManifest: unknown): Record<string, unknown> {
  return { output_values: outputValues ?? null, output_manifest: outputManifest ?? null };
}

/**
 * The printable form of a Child's answer.
 * @param answer - The answer.
 * @returns `{"output_values", "output_manifest"}`.
 */
export function printableQuestionAnswer(answer: QuestionAnswer): Record<string, unknown> {
  return printableAnswer(answer.outputValues, answer.outputManifest);
}

/**
 * Prints a value as one line of Octue JSON (Python `json.dumps` spacing; Sets, Dates and Manifests in Octue's form),
 * as Octue's CLI prints answers.
 * @param context - The CLI context.
 * @param value - The value.
 */
export function printOctueJson(context: CliContext, value: unknown): void {
  context.io.out(`${encodeOctueJson(value)}\n`);
}
