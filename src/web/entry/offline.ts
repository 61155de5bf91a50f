import { useEffect, useState, useSyncExternalStore } from 'react';

let registered = false;

/**
 * Installs the service worker (public/sw.js) that lets the app open without a connection.
 * Browsers allow it only on HTTPS or localhost; elsewhere the pages still queue offline, but a
 * reload without a connection will not open the app.
 */
export function useOfflineSupport() {
  useEffect(() => {
    if (registered || !('serviceWorker' in navigator) || !window.isSecureContext) return;
    registered = true;
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      registered = false;
    });
  }, []);
}

const subscribeOnline = (fn: () => void) => {
  window.addEventListener('online', fn);
  window.addEventListener('offline', fn);
  return () => {
    window.removeEventListener('online', fn);
    window.removeEventListener('offline', fn);
  };
};

/** navigator.onLine, re-rendering when it changes. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

/**
 * Whether this page would open again without a connection: the service worker controls it and
 * holds the app shell.
 */
export function useOfflineReady(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!('serviceWorker' in navigator) || !('caches' in window)) return;
    let live = true;
    const check = async () => {
      const ok =
        !!navigator.serviceWorker.controller &&
        !!(await caches.match('/index.html').catch(() => null));
      if (live) setReady(ok);
    };
    void check();
    navigator.serviceWorker.addEventListener('controllerchange', check);
    const timer = setInterval(() => void check(), 5_000);
    return () => {
      live = false;
      clearInterval(timer);
      navigator.serviceWorker.removeEventListener('controllerchange', check);
    };
  }, []);
  return ready;
}
