/**
 * Text for a polite live region: what just happened (own saves, entries added by others, filter results).
 * The message is cleared then set, so that the same sentence twice is announced twice.
 */
export class Announcer {
  message = $state('');
  #set: ReturnType<typeof setTimeout> | undefined;
  #clear: ReturnType<typeof setTimeout> | undefined;

  say(text: string, visibleMs = 10_000): void {
    clearTimeout(this.#set);
    clearTimeout(this.#clear);
    this.message = '';
    this.#set = setTimeout(() => {
      this.message = text;
      this.#clear = setTimeout(() => (this.message = ''), visibleMs);
    }, 60);
  }

  clear(): void {
    clearTimeout(this.#set);
    clearTimeout(this.#clear);
    this.message = '';
  }

  destroy(): void {
    clearTimeout(this.#set);
    clearTimeout(this.#clear);
  }
}
