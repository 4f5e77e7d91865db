export * from './bulk';
export * from './collections';
export * from './entity-states';
export * from './inventory';
export * from './locations';
export * from './products';
export * from './push';
export * from './webhooks';
