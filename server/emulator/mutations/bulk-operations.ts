import { randomUUID } from 'node:crypto';
import type { Args, EmulatorContext } from '../context';
import { byGid } from '../state';
import { BulkOperationView } from '../views/bulk-operation';
import type { UserError } from './common';

/** Staged upload targets for bulk mutation variables, posted to the emulator's own upload endpoint (uploads.ts). */
export function stagedUploadsCreate(args: Args, ctx: EmulatorContext) {
  const inputs = args.input as Array<{ resource: string; filename: string; mimeType: string; httpMethod?: string }>;
  const userErrors: UserError[] = [];
  const stagedTargets = inputs.map((input, i) => {
    if (input.resource !== 'BULK_MUTATION_VARIABLES') {
      userErrors.push({
        field: ['input', String(i), 'resource'],
        message: `The emulator stages only BULK_MUTATION_VARIABLES uploads, not ${input.resource}`,
      });
      return null;
    }
    const key = `tmp/bulk/${randomUUID()}/${input.filename}`;
    return {
      __typename: 'StagedMediaUploadTarget',
      url: `${ctx.shop.baseUrl}/__emulator/staged-uploads`,
      resourceUrl: `${ctx.shop.baseUrl}/__emulator/staged-uploads/${key}`,
      parameters: [
        { name: 'key', value: key },
        { name: 'Content-Type', value: input.mimeType },
        { name: 'success_action_status', value: '201' },
        { name: 'acl', value: 'private' },
      ],
    };
  });
  if (userErrors.length) return { stagedTargets: null, userErrors };
  return { stagedTargets, userErrors };
}

export function bulkOperationRunQuery(args: Args, ctx: EmulatorContext) {
  const { op, userErrors } = ctx.core.bulk.runQuery(args.query as string, ctx);
  return { bulkOperation: op ? new BulkOperationView(op, ctx) : null, userErrors };
}

export function bulkOperationRunMutation(args: Args, ctx: EmulatorContext) {
  const upload = ctx.core.uploads.get(args.stagedUploadPath as string);
  const clientIdentifier = (args.clientIdentifier as string) ?? null;
  const { op, userErrors } = ctx.core.bulk.runMutation(args.mutation as string, upload, ctx, clientIdentifier);
  return { bulkOperation: op ? new BulkOperationView(op, ctx) : null, userErrors };
}

export function bulkOperationCancel(args: Args, ctx: EmulatorContext) {
  const existing = byGid(ctx.core.bulk.ops, args.id, 'BulkOperation');
  if (!existing || existing.token !== ctx.token)
    return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
  if (existing.status !== 'CREATED' && existing.status !== 'RUNNING') {
    return {
      bulkOperation: new BulkOperationView(existing, ctx),
      userErrors: [{ field: ['id'], message: `A bulk operation cannot be canceled when it is ${existing.status.toLowerCase()}` }],
    };
  }
  return { bulkOperation: new BulkOperationView(ctx.core.bulk.cancel(existing.id)!, ctx), userErrors: [] };
}
