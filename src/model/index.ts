export * from './build';
export * from './conventions';
export * from './types';
export * from './identity';
export * from './environment-shared';
