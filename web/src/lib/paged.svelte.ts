// A list the API returns in pages ({"<items>": [...], "next_cursor": ...}), shown with "Show
// more": one copy of the loading, error and cursor bookkeeping for every such page.

export interface Page<T> {
  items: T[];
  next: string | null;
}

export class PagedList<T> {
  items = $state<T[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  error = $state<unknown>(null);

  readonly #fetchPage: (cursor: string | null) => Promise<Page<T>>;

  // `fetchPage` asks for the page after `cursor` (null: the first), reading the view's current
  // filters when called.
  constructor(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
    this.#fetchPage = fetchPage;
  }

  // The first page again (reset), or the next one appended.
  async load(reset: boolean): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const page = await this.#fetchPage(reset ? null : this.next);
      this.items = reset ? page.items : [...this.items, ...page.items];
      this.next = page.next;
    } catch (e) {
      this.error = e;
      if (reset) this.items = [];
    } finally {
      this.loading = false;
    }
  }
}
