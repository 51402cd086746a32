export * from './chart-objects';
export * from './manifest';
export * from './output';
export * from './render';
export * from './synthesize';
export * from './tenant-layer';
export * from './write';
export * from './terraform-layer';
