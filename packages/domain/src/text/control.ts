/**
 * Control characters (C0 except tab, line feed and carriage return, and DEL) are never meaningful in what people
 * type, can hide text on screen, and PostgreSQL refuses NUL in text columns: they are refused at every edge.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const CONTROL_CHARACTER_MESSAGE = 'caractère de contrôle interdit (copier-coller depuis un autre logiciel ?)';

export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * The path (`a.b.0.c`, `''` for the value itself) of the first string, or object key, holding a control
 * character in a JSON-like value; null when there is none.
 */
export function findControlCharacter(value: unknown, path: readonly (string | number)[] = [], depth = 0): string | null {
  if (typeof value === 'string') return hasControlCharacter(value) ? path.join('.') : null;
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], [...path, i], depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (hasControlCharacter(k)) return [...path, k].join('.');
    const found = findControlCharacter(v, [...path, k], depth + 1);
    if (found !== null) return found;
  }
  return null;
}
