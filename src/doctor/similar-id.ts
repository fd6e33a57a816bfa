/** The id in `ids` a typo of `wanted` most likely meant: at most two edits away, the closest first; null when none is. */
export function similarId(wanted: string, ids: readonly string[]): string | null {
  let best: { id: string; distance: number } | null = null;
  for (const id of ids) {
    const distance = editDistance(wanted.toLowerCase(), id.toLowerCase());
    if (distance > 0 && distance <= 2 && (best === null || distance < best.distance)) best = { id, distance };
  }
  return best?.id ?? null;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
