import type { AppContext } from './context.js';

/** The context the use cases run with (the application context). */
export type ServiceContext = AppContext;
