// The thread that reads an uploaded results file (parse-thread.ts starts it). The server runs its
// TypeScript through tsx; a worker thread is a new module graph, so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
