/**
 * A value's text in a grid cell, cut when long: a 400 KB string would make its row as tall as a
 * book. The cut is only what the cell shows (the value itself is never changed); "show all" opens
 * the whole text in a scrolling box, and the editor has it too. Cut between characters, never
 * inside a surrogate pair (half an emoji would show as a replacement sign).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** Characters a cell shows before it is cut. */
export const CELL_CHARS = 200;

/** The first `max` characters of `text` (code points: an emoji is one), and whether it was cut. */
export function cutText(text: string, max = CELL_CHARS): { shown: string; cut: boolean; length: number } {
  // NOTE: a quick exit for the usual short value; length in UTF-16 units ≥ characters.
  if (text.length <= max) return { shown: text, cut: false, length: [...text].length };
  const chars = [...text];
  if (chars.length <= max) return { shown: text, cut: false, length: chars.length };
  return { shown: chars.slice(0, max).join(''), cut: true, length: chars.length };
}

/**
 * The cell's text; a long one cut, with a button that shows it all in a read-only box (`testid`
 * names the button, `<testid>-full` the box). `wrap` wraps the text alone (the first column's link
 * to the editor: the button stays outside it, a button inside a link being no valid HTML).
 */
export function CellText({
  text,
  testid,
  wrap = (x) => x,
}: {
  text: string;
  testid: string;
  wrap?: (content: string) => ComponentChildren;
}) {
  const [all, setAll] = useState(false);
  const { shown, cut, length } = cutText(text);
  if (!cut) return <>{wrap(text)}</>;
  return (
    <>
      {wrap(`${shown}…`)}{' '}
      {all ? (
        <textarea
          readOnly
          class="cell-full"
          data-testid={`${testid}-full`}
          aria-label={`the whole value, ${length} characters`}
          value={text}
        />
      ) : (
        <button type="button" class="link" data-testid={testid} onClick={() => setAll(true)}>
          show all {length.toLocaleString('en')} characters
        </button>
      )}
    </>
  );
}
