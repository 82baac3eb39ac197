/**
 * Renders a GitHub-flavoured markdown table; the first column is left
 * aligned, the others right aligned (they hold figures).
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const align = headers.map((_, index) => (index === 0 ? '---' : '---:'));
  return [headers, align, ...rows]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');
}

/** A number with `digits` decimals, or a dash when it is not finite. */
export function fixed(value: number | null | undefined, digits: number) {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toFixed(digits);
}
