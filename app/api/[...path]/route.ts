import { AppError } from '@/lib/errors';
import { errorResponse } from '@/server/http/request';

export const dynamic = 'force-dynamic';

/** Any /api path no route serves: a JSON 404 in the API's error shape. */
async function notFound(req: Request) {
  const path = new URL(req.url).pathname;
  return errorResponse(new AppError('not_found:route', `No API route ${req.method} ${path}`));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
