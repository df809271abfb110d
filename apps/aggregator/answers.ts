import { Twine } from '../../src/core/twine';
import csvStatsTwine from '../../twines/csv-stats.json';
import type { TableSummary } from '../shared/statistics';
import { InvalidChildAnswer } from './errors';

let childTwine: Twine | undefined;

/**
 * Reads a csv-stats answer: its output values must satisfy csv-stats' own output_values_schema (checked here too,
 * since the parent cannot know which version of the child answered).
 * @param answer - The child's answer, `{outputValues, outputManifest}`.
 * @param group - The group (input dataset key) asked about.
 * @param childId - The child's SRUID.
 * @returns The group's rows and column summaries.
 * @throws InvalidChildAnswer when the answer has no output values or they are not csv-stats'.
 */
export function readChildSummary(answer: unknown, group: string, childId: string): TableSummary {
  const values = (answer as { outputValues?: unknown } | null)?.outputValues;
  const refuse = (cause?: unknown): InvalidChildAnswer =>
    new InvalidChildAnswer(
      `The child ${childId} answered the question about '${group}' without csv-stats output values; check that ` +
        "the 'csv-stats' child is a csv-stats service.",
      { group, childId, cause },
    );
  // Only objects are validated: the twine would take a string for JSON text or a file path.
  if (typeof values !== 'object' || values === null) throw refuse();
  childTwine ??= new Twine(csvStatsTwine);
  try {
    childTwine.validateValues('output_values', values, { useDefaults: false });
  } catch (error) {
    throw refuse(error);
  }
  const { rows, columns } = values as TableSummary;
  return { rows, columns };
}
