import { randomBytes } from 'node:crypto';

import { InvalidInputException } from '../errors';

/** A source of uniform numbers in [0, 1): the secure default, or a seeded one injected by tests. */
export type UniformSource = () => number;

/**
 * Uniform numbers in [0, 1) from the operating system's cryptographically secure generator, with 53 random bits
 * (every double of the form k / 2^53), as differential privacy needs.
 * @returns A uniform number in [0, 1).
 */
export const secureUniform: UniformSource = () => {
  const bytes = randomBytes(7);
  // 53 bits: 5 bits of the first byte, then 48 bits.
  const high = (bytes[0] as number) & 0x1f;
  return (high * 2 ** 48 + bytes.readUIntBE(1, 6)) / 2 ** 53;
};

/** Local differential privacy for one number: Laplace noise of scale sensitivity / epsilon. */
export interface LocalDpParams {
  readonly epsilon: number;
  readonly sensitivity: number;
}

/**
 * Adds Laplace(0, sensitivity / epsilon) noise to one finite number, by inverting the Laplace CDF at a uniform
 * draw (a draw of exactly 0, whose inverse is infinite, is redrawn).
 * @param value - The finite number.
 * @param params - `epsilon` > 0 and `sensitivity` > 0.
 * @param uniform - The uniform source.
 * @returns The noisy value (the only value that may be stored).
 * @throws InvalidInputException when the value is not a finite number or the parameters are not positive and finite.
 */
export function addLaplaceNoise(value: unknown, params: LocalDpParams, uniform: UniformSource): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidInputException('Local differential privacy applies to one finite number only.');
  }
  const { epsilon, sensitivity } = params;
  for (const [name, parameter] of [
    ['epsilon', epsilon],
    ['sensitivity', sensitivity],
  ] as const) {
    if (typeof parameter !== 'number' || !Number.isFinite(parameter) || parameter <= 0) {
      throw new InvalidInputException(`localDp.${name} must be a positive finite number; received ${parameter}.`);
    }
  }
  const scale = sensitivity / epsilon;
  let draw = uniform();
  while (draw === 0) draw = uniform();
  // draw ∈ (0, 1) → u ∈ (-1/2, 1/2); inverse CDF: -b·sign(u)·ln(1 − 2|u|).
  const u = draw - 0.5;
  return value - scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}
