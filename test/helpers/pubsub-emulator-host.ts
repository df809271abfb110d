/** @returns The Pub/Sub emulator's `host:port`, set by the integration global setup. */
export function emulatorHost(): string {
  const host = process.env.PUBSUB_EMULATOR_HOST;
  if (!host) throw new Error('PUBSUB_EMULATOR_HOST is not set; run this through the integration project.');
  return host;
}
