/**
 * @returns The environment variable `name`, which the integration global setup sets (emulator addresses and the
 * like); throws, saying so, when a test runs outside that project and it is missing.
 */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through the integration project.`);
  return value;
}

/** @returns The Pub/Sub emulator's `host:port`, set by the integration global setup. */
export function emulatorHost(): string {
  return requiredEnv('PUBSUB_EMULATOR_HOST');
}
