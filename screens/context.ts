/** What every screen reads: the store's state, dispatch, theme, terminal size. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Dispatch, Store } from './state/store.js';
import type { WizardState } from './state/wizard.js';
import type { Theme } from './theme.js';

export interface Ui {
  store: Store;
  theme: Theme;
}

export const UiContext = createContext<Ui | null>(null);

function useUi(): Ui {
  const ui = useContext(UiContext);
  if (!ui) throw new Error('screens must be rendered inside <App>');
  return ui;
}

export function useWizard(): WizardState {
  const { store } = useUi();
  return useSyncExternalStore(store.subscribe, store.getState);
}

export function useDispatch(): Dispatch {
  return useUi().store.dispatch;
}

export function useTheme(): Theme {
  return useUi().theme;
}
