// Worker entry: lets a worker thread load the TypeScript worker through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
