/**
 * Squarified treemap layout (Bruls, Huizing, van Wijk 2000): rectangles whose areas are proportional to the values,
 * kept as close to squares as possible so that labels fit. Pure functions, no framework imports.
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Placed<T> = Rect & { item: T; value: number };

function worst(areas: readonly number[], side: number): number {
  const sum = areas.reduce((a, b) => a + b, 0);
  const max = Math.max(...areas);
  const min = Math.min(...areas);
  const s2 = sum * sum;
  const side2 = side * side;
  return Math.max((side2 * max) / s2, s2 / (side2 * min));
}

/** Lays `items` out in `rect`, biggest first. Items with a value ≤ 0 are left out. */
export function squarify<T>(items: readonly { item: T; value: number }[], rect: Rect): Placed<T>[] {
  const data = items.filter((d) => d.value > 0 && Number.isFinite(d.value)).sort((a, b) => b.value - a.value);
  const sum = data.reduce((a, d) => a + d.value, 0);
  if (sum <= 0 || rect.w <= 0 || rect.h <= 0) return [];
  const scale = (rect.w * rect.h) / sum;
  const queue = data.map((d) => ({ ...d, area: d.value * scale }));
  const out: Placed<T>[] = [];
  let { x, y, w, h } = rect;
  let row: typeof queue = [];

  const layoutRow = (): void => {
    const s = row.reduce((a, r) => a + r.area, 0);
    if (w >= h) {
      // A column along the left side.
      const cw = h > 0 ? s / h : 0;
      let cy = y;
      for (const r of row) {
        const rh = cw > 0 ? r.area / cw : 0;
        out.push({ item: r.item, value: r.value, x, y: cy, w: cw, h: rh });
        cy += rh;
      }
      x += cw;
      w -= cw;
    } else {
      // A row along the top side.
      const rh = w > 0 ? s / w : 0;
      let cx = x;
      for (const r of row) {
        const rw = rh > 0 ? r.area / rh : 0;
        out.push({ item: r.item, value: r.value, x: cx, y, w: rw, h: rh });
        cx += rw;
      }
      y += rh;
      h -= rh;
    }
    row = [];
  };

  while (queue.length > 0) {
    const side = Math.min(w, h);
    const next = queue[0]!;
    if (row.length === 0 || worst([...row.map((r) => r.area), next.area], side) <= worst(row.map((r) => r.area), side)) {
      row.push(next);
      queue.shift();
    } else {
      layoutRow();
    }
  }
  if (row.length > 0) layoutRow();
  return out;
}

/** Shrinks a rectangle by `pad` on every side (never below zero size). */
export function inset(r: Rect, pad: number): Rect {
  return { x: r.x + pad, y: r.y + pad, w: Math.max(0, r.w - 2 * pad), h: Math.max(0, r.h - 2 * pad) };
}

/**
 * Splits a label into lines of at most `maxChars` characters (words kept whole when possible), keeping at most
 * `maxLines` lines; the last one ends with an ellipsis when the text does not fit.
 */
export function wrapLabel(text: string, maxChars: number, maxLines: number): string[] {
  if (maxChars < 3 || maxLines < 1) return [];
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    if (candidate.length <= maxChars) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = word.length > maxChars ? `${word.slice(0, maxChars - 1)}…` : word;
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = last.length >= maxChars ? `${last.slice(0, maxChars - 1)}…` : `${last}…`;
  return kept;
}
