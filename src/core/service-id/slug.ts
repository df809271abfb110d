import { randomInt } from 'node:crypto';

import { InvalidInputException } from '../../errors';

// Short, friendly word lists for default revision tags (Octue uses the `coolname` package for the same purpose).
// Every word is lower-case ASCII letters, so any slug made from them is a valid revision tag and kebab-case name.
// prettier-ignore
const ADJECTIVES = [
  'amber', 'ancient', 'bold', 'brave', 'breezy', 'bright', 'calm', 'clever', 'cosmic', 'crimson', 'curious', 'dapper',
  'daring', 'eager', 'electric', 'fancy', 'fearless', 'fluffy', 'gentle', 'gleaming', 'golden', 'graceful', 'happy',
  'hidden', 'humble', 'icy', 'jolly', 'keen', 'kind', 'lively', 'lucky', 'mellow', 'merry', 'mighty', 'misty',
  'nimble', 'noble', 'patient', 'plucky', 'polite', 'proud', 'quick', 'quiet', 'radiant', 'rapid', 'rustic', 'sandy',
  'shiny', 'silent', 'silver', 'sleek', 'smart', 'snowy', 'sparkling', 'steady', 'sunny', 'swift', 'tidy', 'twinkling',
  'vivid', 'wandering', 'warm', 'witty', 'zesty',
] as const;

// prettier-ignore
const NOUNS = [
  'albatross', 'badger', 'beaver', 'bison', 'capybara', 'cheetah', 'condor', 'coyote', 'crane', 'dolphin', 'eagle',
  'falcon', 'ferret', 'finch', 'fox', 'gazelle', 'gecko', 'gibbon', 'heron', 'hedgehog', 'ibis', 'jackal', 'jaguar',
  'kestrel', 'koala', 'lemur', 'leopard', 'lynx', 'magpie', 'manatee', 'marmot', 'meerkat', 'mongoose', 'narwhal',
  'newt', 'ocelot', 'octopus', 'orca', 'osprey', 'otter', 'owl', 'panda', 'pelican', 'penguin', 'puffin', 'quail',
  'quokka', 'raven', 'robin', 'salmon', 'seal', 'sparrow', 'squirrel', 'stork', 'swan', 'tapir', 'tiger', 'toucan',
  'turtle', 'walrus', 'weasel', 'wombat', 'wren', 'yak',
] as const;

/** A source of random integers in `[0, max)`; injectable so tests can make slugs deterministic. */
export type RandomInt = (max: number) => number;

/**
 * Makes a random slug of adjectives followed by one noun, e.g. `brave-otter` (two words) or `calm-swift-heron`.
 * @param words - How many words (at least 1; the last one is a noun). Default 2, as Octue's default revision tags.
 * @param random - Source of random integers; defaults to `crypto.randomInt`.
 * @returns The slug (lower-case letters and hyphens only).
 * @throws InvalidInputException when `words` is not a positive integer.
 */
export function generateSlug(words = 2, random: RandomInt = randomInt): string {
  if (!Number.isInteger(words) || words < 1) {
    throw new InvalidInputException(`A slug needs a positive whole number of words; received ${words}.`);
  }
  const parts: string[] = [];
  for (let i = 0; i < words - 1; i++) {
    parts.push(pick(ADJECTIVES, random));
  }
  parts.push(pick(NOUNS, random));
  return parts.join('-');
}

function pick(list: readonly string[], random: RandomInt): string {
  return list[random(list.length)] ?? list[0] ?? '';
}
