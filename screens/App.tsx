/**
 * The wizard's root: routes by screen state (an exhaustive switch) and takes
 * the keys every screen shares (Ctrl-C, ?). Each screen's input is active only
 * when it is current and no prompt or help is open.
 */
import { useInput } from 'ink';
import { UiContext, useDispatch, useWizard } from './context.js';
import type { Store } from './state/store.js';
import type { Theme } from './theme.js';
import { is } from './keys.js';
import { Welcome } from './screens/Welcome.js';
import { Disks } from './screens/Disks.js';
import { Topology } from './screens/Topology.js';
import { Datasets } from './screens/Datasets.js';
import { Containers } from './screens/Containers.js';
import { System } from './screens/System.js';
import { Review } from './screens/Review.js';
import { Confirm } from './screens/Confirm.js';
import { Apply } from './screens/Apply.js';

function Router() {
  const s = useWizard();
  const dispatch = useDispatch();
  const free = s.prompt === null && !s.help;
  useInput(
    (input, key) => {
      if (is('quit', input, key)) return dispatch({ type: 'quit/request' });
      if (s.prompt) return;
      if (is('help', input, key) && s.route.name !== 'confirm') return dispatch({ type: 'help' });
      if (s.help && is('back', input, key)) return dispatch({ type: 'help' });
    },
    { isActive: true },
  );
  const route = s.route;
  switch (route.name) {
    case 'welcome':
      return <Welcome active={free} />;
    case 'disks':
      return <Disks active={free} />;
    case 'topology':
      return <Topology active={free} />;
    case 'datasets':
      return <Datasets active={free} />;
    case 'containers':
      return <Containers active={free} />;
    case 'system':
      return <System active={free} />;
    case 'review':
      return <Review active={free} />;
    case 'confirm':
      return <Confirm active={free} />;
    case 'apply':
      return <Apply active={s.prompt === null} />;
    default: {
      const never: never = route;
      return never;
    }
  }
}

export function App({ store, theme }: { store: Store; theme: Theme }) {
  return (
    <UiContext.Provider value={{ store, theme }}>
      <Router />
    </UiContext.Provider>
  );
}
