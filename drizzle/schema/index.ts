export * from './batches';
export * from './catalog';
export * from './changes';
export * from './operations';
export * from './stores';
export * from './taxonomy';
export * from './users';
export * from './webhooks';
