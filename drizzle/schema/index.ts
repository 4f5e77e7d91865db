export * from './stores';
export * from './catalog';
export * from './changes';
export * from './batches';
export * from './operations';
export * from './webhooks';
export * from './users';
