/** Commands beyond the core three, each loaded lazily. */
import { registerCommand } from './main.js';

void registerCommand;
registerCommand('disks', () => import('./disks.js'));
registerCommand('apply', () => import('./apply.js'));
registerCommand('snapshot', () => import('./snapshot.js'));
registerCommand('tui', () => import('./tui.js'));
