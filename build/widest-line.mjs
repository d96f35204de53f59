// Stands in for widest-line in the bundle (see build/options.mjs): the package's
// function, remembering its answers.
//
// Ink measures the text of every <Text> in every frame (render-node-to-output.js
// calls widestLine for each text node, to decide whether to wrap or truncate it);
// string-width goes through the text grapheme by grapheme, allocating as it goes.
// Between two frames of a keystroke nearly every text is the same, so the widths
// are kept: two generations of at most LIMIT texts each, the older one dropped when
// the newer one is full (a text drawn in each frame stays; one gone from the screen
// is forgotten).
import widestLine from '../node_modules/widest-line/index.js';

const LIMIT = 1024;
let recent = new Map();
let older = new Map();

export default function rememberedWidestLine(text) {
  let width = recent.get(text);
  if (width !== undefined) return width;
  width = older.get(text) ?? widestLine(text);
  if (recent.size >= LIMIT) {
    older = recent;
    recent = new Map();
  }
  recent.set(text, width);
  return width;
}
