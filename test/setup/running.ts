/** Keeps the components started by global setup so global teardown (same process) can stop them. */
interface Stoppable {
  stop(): Promise<void>;
}

const key = Symbol.for('skein.test.running');
type Holder = { [key]?: Stoppable[] };

/** Records components to stop at the end of the run. */
export function registerRunning(components: Stoppable[]): void {
  (globalThis as Holder)[key] = components;
}

/** Stops everything recorded by {@link registerRunning}. */
export async function stopRunning(): Promise<void> {
  const components = (globalThis as Holder)[key] ?? [];
  (globalThis as Holder)[key] = [];
  await Promise.all(components.map((c) => c.stop()));
}
