// The world's experiments and their true effects. Dates are offsets from the world's start so
// every scale runs all of them before the propensity window.

export type SimVariation = {
  id: string;
  name: string;
  weight: number;
  trueConversionRate: number;
  cost: { fixed: number; perExposure: number };
};

export type SimExperiment = {
  key: string;
  hypothesis: string;
  seed: string;
  /** Fractions of the world's span (0–1) at which the experiment starts and stops. */
  window: [number, number];
  purpose: 'marketing' | 'analytics';
  exposureEvent: 'Experiment Viewed';
  goalEvent: 'Order Completed';
  attributionDays: number;
  variations: SimVariation[];
  scenario: 'clear-winner' | 'null' | 'winner-costs-more' | 'sample-ratio-mismatch';
  /** Share of one variation's exposure events lost before they reach Attune (an injected tracking bug). */
  lostExposureShare?: { variation: string; share: number };
};

export const SIM_EXPERIMENTS: SimExperiment[] = [
  {
    key: 'email-subject-line',
    hypothesis: 'A subject line that names the origin lifts purchases.',
    seed: 'email-subject-line-v1',
    window: [0.1, 0.25],
    purpose: 'marketing',
    exposureEvent: 'Experiment Viewed',
    goalEvent: 'Order Completed',
    attributionDays: 7,
    scenario: 'clear-winner',
    variations: [
      {
        id: '0',
        name: 'control',
        weight: 0.5,
        trueConversionRate: 0.06,
        cost: { fixed: 0, perExposure: 0.01 },
      },
      {
        id: '1',
        name: 'origin-in-subject',
        weight: 0.5,
        trueConversionRate: 0.09,
        cost: { fixed: 0, perExposure: 0.01 },
      },
    ],
  },
  {
    key: 'landing-hero',
    hypothesis: 'A brewing-photo hero changes nothing about purchases (a null test).',
    seed: 'landing-hero-v1',
    window: [0.28, 0.43],
    purpose: 'analytics',
    exposureEvent: 'Experiment Viewed',
    goalEvent: 'Order Completed',
    attributionDays: 7,
    scenario: 'null',
    variations: [
      {
        id: '0',
        name: 'control',
        weight: 1 / 3,
        trueConversionRate: 0.05,
        cost: { fixed: 0, perExposure: 0 },
      },
      {
        id: '1',
        name: 'brewing-photo',
        weight: 1 / 3,
        trueConversionRate: 0.05,
        cost: { fixed: 0, perExposure: 0 },
      },
      {
        id: '2',
        name: 'product-grid',
        weight: 1 / 3,
        trueConversionRate: 0.05,
        cost: { fixed: 0, perExposure: 0 },
      },
    ],
  },
  {
    key: 'shipping-offer',
    hypothesis: 'Free shipping converts better than 10% off, but costs more per order.',
    seed: 'shipping-offer-v1',
    window: [0.46, 0.61],
    purpose: 'marketing',
    exposureEvent: 'Experiment Viewed',
    goalEvent: 'Order Completed',
    attributionDays: 7,
    scenario: 'winner-costs-more',
    variations: [
      {
        id: '0',
        name: 'ten-percent-off',
        weight: 0.5,
        trueConversionRate: 0.07,
        cost: { fixed: 500, perExposure: 0.3 },
      },
      {
        id: '1',
        name: 'free-shipping',
        weight: 0.5,
        trueConversionRate: 0.085,
        cost: { fixed: 500, perExposure: 0.9 },
      },
    ],
  },
  {
    key: 'checkout-button',
    hypothesis:
      'A larger checkout button lifts purchases; the treatment drops some exposure events (flagged SRM scenario).',
    seed: 'checkout-button-v1',
    window: [0.64, 0.8],
    purpose: 'analytics',
    exposureEvent: 'Experiment Viewed',
    goalEvent: 'Order Completed',
    attributionDays: 7,
    scenario: 'sample-ratio-mismatch',
    lostExposureShare: { variation: '1', share: 0.2 },
    variations: [
      { id: '0', name: 'control', weight: 0.5, trueConversionRate: 0.05, cost: { fixed: 0, perExposure: 0 } },
      {
        id: '1',
        name: 'large-button',
        weight: 0.5,
        trueConversionRate: 0.05,
        cost: { fixed: 0, perExposure: 0 },
      },
    ],
  },
];
