// Stands in for Ink's output grid (ink/build/output.js) in the bundle (see
// build/options.mjs): Ink's Output, with a get() that writes the same text and
// allocates less per frame.
//
// Ink draws every frame into a fresh grid of the terminal's size and writes it out
// as text. Its get() makes a new blank-cell object with its own empty style array
// for each of the width × height cells (3,000 pairs in a 100 × 30 terminal), copies
// each row to drop holes, and turns the trailing blank cells of each row into spaces
// that it then trims off. Here the blank cells are one shared object (nothing
// changes a cell: Ink puts cells in the grid and reads them), a row is copied only
// when it has holes, its trailing unstyled blank cells are dropped before the row is
// written (what they would add, spaces at the end, is trimmed anyway; see below), and
// the loops are indexed.
// test/unit/ink-output.test.ts compares both on random frames.
import InkOutput from '../node_modules/ink/build/output.js';
import sliceAnsi from 'slice-ansi';
import { styledCharsToString } from '@alcalzone/ansi-tokenize';

const BLANK = { type: 'char', value: ' ', fullWidth: false, styles: [] };

const isBlank = (cell) => cell.value === ' ' && cell.styles.length === 0;

export default class Output extends InkOutput {
  get() {
    // Initialize output array with a specific set of rows, so that margin/padding at the bottom is preserved
    const output = [];
    for (let y = 0; y < this.height; y++) output.push(new Array(this.width).fill(BLANK));
    const clips = [];
    // Indexed loops: iterators allocate a result per step until the function is
    // optimised, and this one runs once per frame.
    for (let o = 0; o < this.operations.length; o++) {
      const operation = this.operations[o];
      if (operation.type === 'clip') {
        clips.push(operation.clip);
      }
      if (operation.type === 'unclip') {
        clips.pop();
      }
      if (operation.type === 'write') {
        const { text, transformers } = operation;
        let { x, y } = operation;
        let lines = text.split('\n');
        const clip = clips.at(-1);
        if (clip) {
          const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
          const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
          // If text is positioned outside of clipping area altogether,
          // skip to the next operation to avoid unnecessary calculations
          if (clipHorizontally) {
            const width = this.caches.getWidestLine(text);
            if (x + width < clip.x1 || x > clip.x2) {
              continue;
            }
          }
          if (clipVertically) {
            const height = lines.length;
            if (y + height < clip.y1 || y > clip.y2) {
              continue;
            }
          }
          if (clipHorizontally) {
            lines = lines.map((line) => {
              const from = x < clip.x1 ? clip.x1 - x : 0;
              const width = this.caches.getStringWidth(line);
              const to = x + width > clip.x2 ? clip.x2 - x : width;
              return sliceAnsi(line, from, to);
            });
            if (x < clip.x1) {
              x = clip.x1;
            }
          }
          if (clipVertically) {
            const from = y < clip.y1 ? clip.y1 - y : 0;
            const height = lines.length;
            const to = y + height > clip.y2 ? clip.y2 - y : height;
            lines = lines.slice(from, to);
            if (y < clip.y1) {
              y = clip.y1;
            }
          }
        }
        let offsetY = 0;
        for (let index = 0; index < lines.length; index++) {
          let line = lines[index];
          const currentLine = output[y + offsetY];
          // Line can be missing if `text` is taller than height of pre-initialized `this.output`
          if (!currentLine) {
            continue;
          }
          for (let t = 0; t < transformers.length; t++) {
            line = transformers[t](line, index);
          }
          const characters = this.caches.getStyledChars(line);
          let offsetX = x;
          for (let c = 0; c < characters.length; c++) {
            const character = characters[c];
            currentLine[offsetX] = character;
            // Determine printed width using string-width to align with measurement
            const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
            // For multi-column characters, clear following cells to avoid stray spaces/artifacts
            if (characterWidth > 1) {
              for (let index = 1; index < characterWidth; index++) {
                currentLine[offsetX + index] = {
                  type: 'char',
                  value: '',
                  fullWidth: false,
                  styles: character.styles,
                };
              }
            }
            offsetX += characterWidth;
          }
          offsetY++;
        }
      }
    }
    const generatedOutput = output
      .map((row) => {
        // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
        const line =
          row.length === this.width && !row.includes(undefined)
            ? row
            : row.filter((item) => item !== undefined);
        // Trailing unstyled spaces: the text of the row ends with them, after the
        // codes that end the style of the cell before them, and trimEnd() removes
        // them; without them the text ends with those same codes (or, when that cell
        // has no style, with nothing), so trimEnd() gives the same line.
        let end = line.length;
        while (end > 0 && isBlank(line[end - 1])) end--;
        if (end < line.length) line.length = end;
        return styledCharsToString(line).trimEnd();
      })
      .join('\n');
    return {
      output: generatedOutput,
      height: output.length,
    };
  }
}
