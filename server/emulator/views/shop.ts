import type { EmulatorContext } from '../context';
import { gid } from '../state';

const PLAN_NAMES: Record<string, { displayName: string; shopifyPlus: boolean }> = {
  standard: { displayName: 'Basic', shopifyPlus: false },
  advanced: { displayName: 'Advanced', shopifyPlus: false },
  plus: { displayName: 'Shopify Plus', shopifyPlus: true },
  enterprise: { displayName: 'Commerce Components', shopifyPlus: true },
};

/** The shop the emulator stands for: its domain is the one it was started with, its plan the current fault knob. */
export function shopView(ctx: EmulatorContext) {
  const plan = PLAN_NAMES[ctx.shop.plan] ?? PLAN_NAMES.standard!;
  const owner = `owner@${ctx.shop.domain.replace(/\.myshopify\.com$/, '')}.example`;
  return {
    __typename: 'Shop',
    id: gid('Shop', 1),
    name: 'Emulator Store',
    myshopifyDomain: ctx.shop.domain,
    email: owner,
    contactEmail: owner,
    currencyCode: 'USD',
    ianaTimezone: 'UTC',
    timezoneAbbreviation: 'UTC',
    weightUnit: 'KILOGRAMS',
    url: `https://${ctx.shop.domain}`,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    plan: {
      __typename: 'ShopPlan',
      displayName: plan.displayName,
      publicDisplayName: plan.displayName,
      shopifyPlus: plan.shopifyPlus,
      partnerDevelopment: false,
    },
  };
}
