'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { usePermission } from '../session-context';
import { Badge, Button } from '../ui/controls';
import { TextField } from '../ui/fields';
import { toast } from '../ui/toaster';

type Image = ProductView['media'][number];
type MediaEdit = { id?: string; src?: string; alt?: string | null; position?: number; remove?: true };

/**
 * The product's images in the master, in order: alt text, moving, removing and adding by URL are
 * each saved at once as local edits, staged for review (PATCH /api/products/:id `media`).
 */
export function MediaEditor({ product }: { product: ProductView }) {
  const client = useQueryClient();
  const edit = usePermission('edit');
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [newAlt, setNewAlt] = useState('');
  const save = useMutation({
    mutationFn: (media: MediaEdit[]) => dashboardApi.updateProduct(product.id, { media }),
    onSuccess: () => {
      toast('Saved; the image change is staged for review', 'success');
      setError(null);
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  const images = product.media;
  const kept = images.filter((m) => m.existsLocally);
  return (
    <div className="space-y-3" data-testid="media-editor">
      {images.length === 0 ? <p className="text-sm text-slate-500">No images.</p> : null}
      <ol className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
        {images.map((m) => (
          <ImageCard
            key={m.id}
            image={m}
            last={kept.length}
            editable={edit.allowed && !save.isPending}
            onEdit={(change) => save.mutate([{ id: m.id, ...change }])}
          />
        ))}
      </ol>
      {edit.allowed ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate([{ src: url.trim(), alt: newAlt.trim() || null }], {
              onSuccess: () => {
                setUrl('');
                setNewAlt('');
              },
            });
          }}
        >
          <TextField label="Add an image by URL" type="url" required value={url} onValue={setUrl} className="min-w-64 flex-1" />
          <TextField label="Alt text" value={newAlt} onValue={setNewAlt} maxLength={512} />
          <Button type="submit" variant="primary" disabled={save.isPending || !url.trim()} data-testid="media-add">
            Add image
          </Button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700" data-testid="media-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ImageCard({
  image,
  last,
  editable,
  onEdit,
}: {
  image: Image;
  last: number;
  editable: boolean;
  onEdit: (change: Omit<MediaEdit, 'id'>) => void;
}) {
  const [alt, setAlt] = useState(image.alt ?? '');
  const removed = !image.existsLocally;
  return (
    <li className="space-y-1 rounded border border-slate-200 bg-white p-2" data-testid="media-item" data-media-id={image.mediaId ?? ''}>
      <div className="flex items-center justify-between text-xs text-slate-500">
        <span>#{image.position}</span>
        {removed ? <Badge tone="red">removed in master</Badge> : !image.existsInShopify ? <Badge tone="violet">new</Badge> : null}
      </div>
      {image.url ? (
        // biome-ignore lint/performance/noImgElement: pictures from the store's CDN (or the emulator), not this app's assets
        <img src={image.url} alt={image.alt ?? ''} width={160} height={160} className="h-40 w-full rounded object-cover" loading="lazy" />
      ) : (
        <div className="flex h-40 items-center justify-center rounded bg-slate-100 text-xs text-slate-500">no picture</div>
      )}
      {removed ? null : (
        <>
          <TextField label="Alt text" value={alt} onValue={setAlt} maxLength={512} disabled={!editable} />
          {editable ? (
            <div className="flex flex-wrap gap-1">
              <Button disabled={alt === (image.alt ?? '')} onClick={() => onEdit({ alt: alt.trim() || null })}>
                Save alt
              </Button>
              <Button aria-label="Move earlier" disabled={image.position <= 1} onClick={() => onEdit({ position: image.position - 1 })}>
                ←
              </Button>
              <Button aria-label="Move later" disabled={image.position >= last} onClick={() => onEdit({ position: image.position + 1 })}>
                →
              </Button>
              <Button variant="danger" onClick={() => onEdit({ remove: true })}>
                Remove
              </Button>
            </div>
          ) : null}
        </>
      )}
    </li>
  );
}
