import { addLaplaceNoise, secureUniform } from '../../../src/federation/noise';
import type { UniformSource } from '../../../src/federation/noise';
import { resolveFederationOptions } from '../../../src/federation/options';

/** mulberry32: a small seeded PRNG, so the sample (and the test's outcome) is the same on every run. */
function seeded(seed: number): UniformSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function laplaceCdf(x: number, scale: number): number {
  return x < 0 ? 0.5 * Math.exp(x / scale) : 1 - 0.5 * Math.exp(-x / scale);
}

/** The Kolmogorov–Smirnov statistic of a sample against a CDF. */
function ksStatistic(sample: number[], cdf: (x: number) => number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  let worst = 0;
  sorted.forEach((x, index) => {
    const f = cdf(x);
    worst = Math.max(worst, Math.abs(f - index / sorted.length), Math.abs((index + 1) / sorted.length - f));
  });
  return worst;
}

const SAMPLES = 20_000;
// The KS critical value at significance 0.001 is about 1.95 / √n.
const CRITICAL = 1.95 / Math.sqrt(SAMPLES);

function noiseSample(scaleParams: { epsilon: number; sensitivity: number }, uniform: UniformSource): number[] {
  return Array.from({ length: SAMPLES }, () => addLaplaceNoise(0, scaleParams, uniform));
}

describe('Function: addLaplaceNoise', () => {
  it('adds noise that fits Laplace(0, sensitivity / epsilon) (Kolmogorov–Smirnov, seeded source)', () => {
    // Act
    const sample = noiseSample({ epsilon: 0.5, sensitivity: 3 }, seeded(20261207));

    // Assess
    expect(ksStatistic(sample, (x) => laplaceCdf(x, 6))).toBeLessThan(CRITICAL);
  });

  it('is told apart from Laplace noise of the wrong scale by the same test', () => {
    // Act: the scale 6 sample against a scale 5 distribution (the test must be able to fail).
    const sample = noiseSample({ epsilon: 0.5, sensitivity: 3 }, seeded(20261207));

    // Assess
    expect(ksStatistic(sample, (x) => laplaceCdf(x, 5))).toBeGreaterThan(CRITICAL);
  });

  it('draws from the secure source by default: uniform numbers in [0, 1) with 53 random bits', () => {
    // Act
    const draws = Array.from({ length: 2000 }, () => secureUniform());

    // Assess: in range and (with 53 random bits) all distinct; no statistical check, so this never fails by chance.
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    expect(new Set(draws).size).toBe(draws.length);
  });

  it('is the source federation options use unless a test injects one', () => {
    const options = resolveFederationOptions({
      serviceId: 'fed/aggregator:1.0.0',
      transport: {} as never,
      objectStore: {} as never,
      mailboxRoot: 'gs://b/mail',
      projectId: 'p',
    });
    expect(options.uniform).toBe(secureUniform);
  });
});
