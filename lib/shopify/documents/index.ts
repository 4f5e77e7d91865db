export * from './bulk';
export * from './collections';
export * from './inventory';
export * from './products';
export * from './shop';
export * from './webhooks';
export * from './push';
