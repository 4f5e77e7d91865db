import type { MediaRecord } from '../state';
import { RecordView, readsRecord } from './record';

/** Where the emulator serves a generated image (control.ts): a tiny deterministic SVG. */
export const generatedMediaPath = (id: number) => `/__emulator/media/${id}.svg`;

/**
 * A MediaImage (Media, File): alt on the media, the picture under `image` (Image: url, altText,
 * width, height). Processing is instant here, so status is READY from the start.
 */
export class MediaImageView extends RecordView<MediaRecord> {
  readonly __typename = 'MediaImage';
  get mediaContentType() {
    return 'IMAGE';
  }
  get status() {
    return 'READY';
  }
  get fileStatus() {
    return 'READY';
  }
  get mimeType() {
    return this.record.url ? null : 'image/svg+xml';
  }
  get mediaErrors() {
    return [];
  }
  get mediaWarnings() {
    return [];
  }
  get fileErrors() {
    return [];
  }
  private get url() {
    return this.record.url ?? `${this.ctx.shop.baseUrl}${generatedMediaPath(this.record.id)}`;
  }
  get image() {
    return {
      __typename: 'Image',
      id: `gid://shopify/ImageSource/${this.record.id}`,
      url: this.url,
      altText: this.record.alt || null,
      width: this.record.width,
      height: this.record.height,
    };
  }
  get preview() {
    return { __typename: 'MediaPreviewImage', image: this.image, status: 'READY' };
  }
  get originalSource() {
    return { __typename: 'MediaImageOriginalSource', url: this.url, fileSize: null };
  }
}

readsRecord(MediaImageView, ['alt', 'createdAt', 'updatedAt']);

/** The image file served for a generated MediaImage: a coloured tile with its number, the same for the same id. */
export function generatedMediaSvg(record: MediaRecord): string {
  const hue = (record.id * 47) % 360;
  const label = String(record.id % 1000).padStart(3, '0');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${record.width}" height="${record.height}" viewBox="0 0 120 120">` +
    `<rect width="120" height="120" fill="hsl(${hue} 60% 75%)"/>` +
    `<circle cx="60" cy="48" r="22" fill="hsl(${(hue + 180) % 360} 50% 45%)"/>` +
    `<text x="60" y="100" font-family="sans-serif" font-size="18" text-anchor="middle" fill="#222">${label}</text></svg>`
  );
}
