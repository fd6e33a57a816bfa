/** `base` with every key `over` gives a value for replaced; an absent or undefined key keeps the base's. */
export function overlay<T extends object>(base: T, over: { [K in keyof T]?: T[K] | undefined } | undefined): T {
  const merged = { ...base };
  for (const [key, value] of Object.entries(over ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
