export * from './environment';
export * from './errors';
export * from './load';
export * from './primitives';
export * from './reserved';
export * from './source';
export * from './tenant';
export * from './json-schema';
