// A profile: which plugins run for pods naming this scheduler, in which order, with which score
// weights. PreFilter and PreScore run for the enabled filter and score plugins that have them.
// The default profile lives with the plugins (plugins/default-profile.ts).

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface WeightedPlugin {
  name: string;
  /** Multiplies the plugin's normalised score; 0 disables the plugin's score. */
  weight: number;
}

export interface Profile {
  schedulerName: string;
  /** Filter plugins in the order they run; cheap, frequently rejecting ones first. */
  filters: readonly string[];
  scores: readonly WeightedPlugin[];
}
