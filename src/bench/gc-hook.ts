/**
 * Preloaded into the daemon the bench measures (node --expose-gc --import): SIGUSR2 runs a full
 * garbage collection, so idle RSS is read without garbage still waiting to be collected.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
});
