export * from './a2a-app-protocol-policy';
export * from './auto-expose-policy';
export * from './node-group-scheduling-policy';
export * from './platform-conventions';
export * from './trace-propagation-policy';
