/**
 * An object that stands for whatever `current()` answers at the moment a property is read, for things a
 * hook creates (per file or per test) that a test file wants to name once at the top.
 */
export function standIn<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const target = current();
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
