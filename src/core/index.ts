// The public API of the core: pure domain code, no editor and no file system of its own.
export * from './model';
export * from './ports';
export * from './hash';
export * from './jsonError';
export * from './sidecar';
export * from './project';
export * from './memo';
export * from './merge';
export * from './store';
export * from './text';
export * from './anchor';
export * from './suggestions';
