/**
 * Child emulators: stand-ins for a Child that replay recorded events through the shared event handler, recording a
 * live ask's events to a file, and test fixtures loaded from crash diagnostics.
 * @module
 */
export { ChildEmulator } from './child-emulator';
export type { ChildEmulatorOptions, ReplayedAnswer } from './child-emulator';
export { saveRecordedEvents } from './recording-file';
export type { SaveRecordedEventsOptions } from './recording-file';
export { loadFixtureFromDiagnostics } from './diagnostics-fixture';
export type { DiagnosticsFixture, DiagnosticsFixtureOptions } from './diagnostics-fixture';
export type { ReplayableEvent } from './recorded-events';
