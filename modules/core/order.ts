/** Orders two strings (or two numbers) by code unit, as `sort()` does: the same order on every machine, unlike `localeCompare`. */
export function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
