/**
 * Waits until `predicate` holds, polling every `pollMs`; fails after `timeoutMs` with `what` in the message, so a
 * broken path fails the test instead of hanging the run. The default suits a round trip through the emulators.
 */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30_000, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
