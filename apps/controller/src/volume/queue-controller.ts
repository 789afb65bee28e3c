// The part every one-queue volume controller shares: the manager's Controller face (run, depth)
// delegated to the subclass's ControllerRunner.
import type { Controller } from '../framework/controller.js';
import type { ControllerRunner } from '../framework/runner.js';

export abstract class QueueController implements Controller {
  abstract readonly name: string;
  protected abstract readonly runner: ControllerRunner;

  run(signal: AbortSignal): Promise<void> {
    return this.runner.run(signal);
  }

  depth(): number {
    return this.runner.depth();
  }
}
