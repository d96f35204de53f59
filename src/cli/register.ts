/** Commands beyond the core three, each loaded lazily. */
import { registerCommand } from './main.js';

void registerCommand;
