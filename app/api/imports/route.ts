import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { route } from '@/server/http/route';
import { runImport } from '@/server/ingest/imports/service';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

const MAX_FILE_BYTES = 20 * 1024 * 1024;

const fields = z.object({
  storeId: z.uuid().optional(),
  keyColumn: z.string().min(1).max(200).optional(),
  /** The location (name or id) of quantities whose row names none. */
  location: z.string().trim().min(1).max(300).optional(),
  mapping: z
    .string()
    .max(20_000)
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'mapping must be a JSON object of column -> field' });
        return z.NEVER;
      }
    })
    .optional(),
  commit: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/**
 * A CSV upload (multipart/form-data, field "file"): Shopify's product CSV or a supplier's list.
 * Without commit=true: preview, suggested mapping, ignored columns, the cells that would change
 * and row errors. With commit=true: the accepted products are written to the master and staged.
 */
export const POST = route(
  { action: 'edit', bodyKind: 'raw', audit: 'import.csv' },
  async ({ req, runtime, services, principal, audit, scopeStoreId }) => {
    if (!(req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
      throw new AppError('unsupported_media_type', 'Send the CSV as multipart/form-data with a "file" field');
    }
    if (Number(req.headers.get('content-length') ?? 0) > MAX_FILE_BYTES)
      throw new AppError('payload_too_large', 'CSV files are limited to 20 MB');
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new AppError('bad_request:multipart', 'The upload could not be read as multipart/form-data');
    }
    const file = form.get('file');
    if (!file || typeof file === 'string') throw new AppError('validation:file', 'Attach the CSV file in a "file" field');
    if (file.size > MAX_FILE_BYTES) throw new AppError('payload_too_large', 'CSV files are limited to 20 MB');
    const parsed = fields.safeParse(Object.fromEntries([...form.entries()].filter(([k, v]) => k !== 'file' && typeof v === 'string')));
    if (!parsed.success)
      throw new AppError('validation', `Invalid form: ${parsed.error.issues[0]?.message ?? 'bad field'}`, parsed.error.issues);
    const store = await resolveStore(runtime.db, parsed.data.storeId ?? scopeStoreId);
    const result = await runImport(runtime, {
      storeId: store.id,
      filename: file.name || 'upload.csv',
      bytes: new Uint8Array(await file.arrayBuffer()),
      mapping: parsed.data.mapping,
      keyColumn: parsed.data.keyColumn,
      location: parsed.data.location,
      commit: parsed.data.commit,
      startedBy: principal.email ?? principal.id,
      categories: async (storeId, search) => (await services.shopify.forStoreId(storeId)).client('pull').searchTaxonomyCategories(search),
    });
    audit({
      entityType: 'import',
      entityId: result.id,
      storeId: store.id,
      details: { filename: result.filename, commit: parsed.data.commit, counts: result.counts },
    });
    return result;
  },
);
