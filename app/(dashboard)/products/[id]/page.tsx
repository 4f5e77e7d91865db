import type { Metadata } from 'next';
import { ProductPage } from '@/components/products/product-page';

export const metadata: Metadata = { title: 'Product' };

export default async function ProductRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ProductPage id={decodeURIComponent(id)} />;
}
