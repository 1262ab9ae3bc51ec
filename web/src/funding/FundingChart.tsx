import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import { moneyToNumber } from '../i18n/format';
import { useI18n } from '../i18n/i18n';

export interface FundingRow {
  label: string;
  allocated: string;
  disbursed: string;
}

/** Allocated and disbursed per group as horizontal bars (SVG); the page's table holds the exact amounts. */
export default function FundingChart({ rows, label }: { rows: FundingRow[]; label: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const allocated = t('funding.allocated');
    const disbursed = t('funding.disbursed');
    const data = rows.flatMap((r) => [
      { group: r.label, kind: allocated, amount: moneyToNumber(r.allocated) },
      { group: r.label, kind: disbursed, amount: moneyToNumber(r.disbursed) },
    ]);
    const compact = new Intl.NumberFormat(i18n.locale === 'nb' ? 'nb-NO' : 'en-GB', { notation: 'compact', maximumFractionDigits: 1 });
    const chart = Plot.plot({
      width: Math.max(node.clientWidth || 640, 320),
      height: Math.max(120, rows.length * 48 + 60),
      // Room for the longest label beside its tick (a year's four digits too), never more than 260 px.
      marginLeft: Math.min(260, Math.max(56, 16 + Math.max(...rows.map((r) => r.label.length)) * 7)),
      style: { fontSize: '14px', background: 'transparent' },
      ariaLabel: label,
      x: { grid: true, label: 'kr', tickFormat: (n: number) => compact.format(n) },
      y: { axis: null, domain: [allocated, disbursed] },
      fy: {
        label: null,
        axis: 'left',
        domain: rows.map((r) => r.label),
        tickFormat: (s: string) => (s.length > 36 ? `${s.slice(0, 35)}…` : s),
      },
      color: { domain: [allocated, disbursed], range: ['#1e5a96', '#2f855a'], legend: true },
      marks: [
        Plot.barX(data, { fy: 'group', y: 'kind', x: 'amount', fill: 'kind', ariaHidden: 'true', insetTop: 1, insetBottom: 1 }),
        Plot.ruleX([0]),
      ],
    });
    // The wrapper is the image, named by the summary sentence; the SVG inside is its picture only.
    chart.setAttribute('aria-hidden', 'true');
    node.replaceChildren(chart);
    return () => chart.remove();
  }, [rows, label, i18n, t]);

  return <div ref={ref} className="chart" role="img" aria-label={label} />;
}
