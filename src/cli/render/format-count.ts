/** A count as people read it in text output: 289487 → "289,487". JSON keeps plain numbers. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
