import { BehaviorSubject, distinctUntilChanged, first, firstValueFrom } from 'rxjs';
import type { Demand } from '../node.js';

/** A demand signal the runtime drives from its `block` queues. */
export class DemandSignal implements Demand {
  private readonly state = new BehaviorSubject(true);
  readonly ready$ = this.state.pipe(distinctUntilChanged());

  get ready(): boolean {
    return this.state.value;
  }

  set(ready: boolean): void {
    if (ready !== this.state.value) this.state.next(ready);
  }

  whenReady(): Promise<void> {
    if (this.state.value) return Promise.resolve();
    return firstValueFrom(this.state.pipe(first(Boolean))).then(() => {});
  }

  complete(): void {
    this.state.complete();
  }
}
