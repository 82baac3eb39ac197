/**
 * A length of time for messages, from fractional days: `163.9 days`,
 * `5.5 hours`, `12 minutes`, `1 second`. Always positive: the message
 * says "ago" or "in". Data fields keep the unrounded days.
 */
export function formatDuration(days: number): string {
  const seconds = Math.abs(days) * 86_400;
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} days`;
  if (seconds >= 3_600) return `${(seconds / 3_600).toFixed(1)} hours`;
  if (seconds >= 60) return plural(Math.round(seconds / 60), 'minute');
  return plural(Math.round(seconds), 'second');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
