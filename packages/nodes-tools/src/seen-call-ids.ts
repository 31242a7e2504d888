/**
 * The call ids a router has taken, so a call repeated with the same id runs once. Bounded: past
 * `capacity` ids the oldest are forgotten, which only matters for a model repeating an id after
 * thousands of other calls.
 */
export class SeenCallIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time `id` is seen. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}
