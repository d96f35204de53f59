/**
 * A small external store around the wizard reducer, read with
 * useSyncExternalStore. After each action, `onAction` (the effects layer) sees
 * the action and the new state and may dispatch more actions later.
 */
import { type WizardAction, type WizardState, wizardReducer } from './wizard.js';

export type Dispatch = (action: WizardAction) => void;
export type Effects = (action: WizardAction, state: WizardState, dispatch: Dispatch) => void;

export interface Store {
  getState(): WizardState;
  dispatch: Dispatch;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: WizardState, effects?: Effects): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  const dispatch: Dispatch = (action) => {
    state = wizardReducer(state, action);
    for (const l of listeners) l();
    effects?.(action, state, dispatch);
  };
  return {
    getState: () => state,
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
