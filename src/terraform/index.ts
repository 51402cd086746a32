export * from './stack-props';
export * from './synth-terraform';
export * from './versions';
