/** Small pieces every page uses: the confirm dialog, error lines, the hash router's links. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export function go(path: string): void {
  location.hash = path;
}

/**
 * Go to `path` once a request started on page `from` (its `location.hash`) has answered, unless the
 * user went elsewhere meanwhile: the page they chose stays (and its form with what they typed).
 * Returns whether the page moved.
 */
export function goFrom(from: string, path: string): boolean {
  if (location.hash !== from) return false;
  go(path);
  return true;
}

export function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    // NOTE: the address may have changed between the first render and this effect (no event
    // then, or one fired before the listener): read it again.
    on();
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return `${e.message}${e.code ? ` (${e.code})` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

export function ErrorLine({ error, testid }: { error?: string; testid: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid={testid}>
      {error}
    </p>
  );
}

// ---- the confirm dialog: one at a time, answered by a button, Enter or Escape ----

interface Ask {
  message: string;
  ok: string;
  /** Where the focus was (the button that asked): it goes back there. */
  back?: HTMLElement;
  resolve: (yes: boolean) => void;
}
let show: ((a: Ask | undefined) => void) | undefined;

/** Ask before a write; resolves true when confirmed. */
export function confirmAction(message: string, ok = 'Confirm'): Promise<boolean> {
  return new Promise((resolve) => {
    if (!show) return resolve(window.confirm(message));
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    show({ message, ok, resolve, ...(back ? { back } : {}) });
  });
}

export function ConfirmHost() {
  const [ask, setAsk] = useState<Ask>();
  const okRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    show = setAsk;
    return () => {
      show = undefined;
    };
  }, []);
  useEffect(() => okRef.current?.focus(), [ask]);
  if (!ask) return null;
  const answer = (yes: boolean) => {
    setAsk(undefined);
    ask.resolve(yes);
    ask.back?.focus();
  };
  return (
    <div class="overlay">
      <div
        class="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-message"
        data-testid="confirm-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') answer(false);
          // The dialog is modal: Tab cycles between its two buttons.
          if (e.key === 'Tab') {
            const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
            const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
            e.preventDefault();
            buttons[(i + (e.shiftKey ? buttons.length - 1 : 1)) % buttons.length]?.focus();
          }
        }}
      >
        <p id="confirm-message">{ask.message}</p>
        <div class="row">
          <button
            type="button"
            ref={okRef}
            class="danger"
            data-testid="confirm-ok"
            onClick={() => answer(true)}
          >
            {ask.ok}
          </button>
          <button type="button" data-testid="confirm-cancel" onClick={() => answer(false)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, inside the label
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  );
}
