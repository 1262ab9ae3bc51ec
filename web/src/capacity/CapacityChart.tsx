import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { periodStart } from '../ui/periods';

export interface CapacityPointView {
  period: string;
  reportingShelters: number;
  capacity: number;
  occupied: number | null;
  suppressed: boolean;
}

/**
 * Capacity and occupancy over time as SVG. Withheld occupancy is left out of its line, so it shows
 * as a gap, and each withheld period is marked by a dashed rule; the page gives the figures as a
 * table and a sentence, so the chart is never the only way to read them.
 */
export default function CapacityChart({ points, label }: { points: CapacityPointView[]; label: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    // A period with no report has no figures: its capacity is a gap too, not a drop to zero.
    const data = points.map((p, i) => {
      const date = periodStart(p.period);
      const next = points[i + 1] ? periodStart((points[i + 1] as CapacityPointView).period) : null;
      const previous = i > 0 ? periodStart((points[i - 1] as CapacityPointView).period) : null;
      const end = next ?? new Date(date.getTime() + (previous ? date.getTime() - previous.getTime() : 30 * 86_400_000));
      return {
        ...p,
        date,
        end,
        capacityOrGap: p.reportingShelters === 0 ? Number.NaN : p.capacity,
        occupiedOrGap: p.occupied ?? Number.NaN,
      };
    });
    const capacityLabel = t('capacity.legendCapacity');
    const occupiedLabel = t('capacity.legendOccupied');
    const suppressedLabel = t('capacity.legendSuppressed');
    const chart = Plot.plot({
      width: Math.max(node.clientWidth || 640, 320),
      height: 320,
      marginLeft: 56,
      style: { fontSize: '14px', background: 'transparent' },
      ariaLabel: label,
      x: { type: 'utc', label: null, ticks: 6, tickFormat: (d: Date) => i18n.date(d.toISOString().slice(0, 10)).replace(/^\d+\.\s*/, '') },
      y: { grid: true, label: t('capacity.places'), zero: true, tickFormat: (n: number) => i18n.number(n) },
      color: { domain: [capacityLabel, occupiedLabel, suppressedLabel], range: ['#1e5a96', '#c2410c', '#d9d9d9'], legend: true },
      marks: [
        // Withheld occupancy: a grey band behind the period, so the gap in the line has a visible reason.
        Plot.rectY(
          data.filter((d) => d.suppressed && d.reportingShelters > 0),
          { x1: 'date', x2: 'end', y1: 0, y2: (d) => d.capacity, fill: () => suppressedLabel, fillOpacity: 0.6, ariaHidden: 'true' },
        ),
        Plot.lineY(data, {
          x: 'date',
          y: 'capacityOrGap',
          stroke: () => capacityLabel,
          strokeWidth: 2.5,
          curve: 'step-after',
          ariaHidden: 'true',
        }),
        Plot.lineY(data, {
          x: 'date',
          y: 'occupiedOrGap',
          stroke: () => occupiedLabel,
          strokeWidth: 2.5,
          curve: 'step-after',
          ariaHidden: 'true',
        }),
        Plot.dot(
          data.filter((d) => d.occupied !== null),
          { x: 'date', y: 'occupiedOrGap', fill: () => occupiedLabel, r: 3, ariaHidden: 'true' },
        ),
        Plot.ruleY([0]),
      ],
    });
    // The wrapper is the image, named by the summary sentence; the SVG inside is its picture only.
    chart.setAttribute('aria-hidden', 'true');
    node.replaceChildren(chart);
    return () => chart.remove();
  }, [points, label, i18n, t]);

  return <div ref={ref} className="chart" role="img" aria-label={label} />;
}
