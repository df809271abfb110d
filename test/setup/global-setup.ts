// Starts the real components the tests need, once per `npm test`: the official Pub/Sub emulator (its jar, run with
// java) and Skein's GCS-compatible server, each on a free loopback port. Workers inherit the environment set here.
import { startPubSubEmulator } from '../../src/emulators/pubsub-emulator';
import { startGcsServer } from '../../src/emulators/gcs-server';
import { registerRunning } from './running';

export default async function globalSetup(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const [pubsub, gcs] = await Promise.all([startPubSubEmulator(), startGcsServer({ port: 0 })]);
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  process.env.SKEIN_TEST_GCS_URL = gcs.url;
  registerRunning([pubsub, gcs]);
}
