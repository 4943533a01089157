// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { setupI18n } from '../i18n';
import { BarChartCard, LineChartCard } from './Charts';

const wrap = (children: ReactNode, language: 'en' | 'zh-HK' = 'en') => (
  <I18nextProvider i18n={setupI18n(language)}>{children}</I18nextProvider>
);

afterEach(cleanup);

describe('charts without data', () => {
  it('say there is no data yet instead of drawing empty axes', () => {
    const { container } = render(
      wrap(
        <>
          <LineChartCard
            title="Calls per day"
            data={[]}
            xKey="day"
            series={[{ key: 'calls', label: 'Calls' }]}
          />
          <BarChartCard
            title="Queries"
            data={[]}
            xKey="agreement"
            series={[{ key: 'used', label: 'Used' }]}
          />
        </>,
      ),
    );
    expect(screen.getByRole('figure', { name: 'Calls per day' }).textContent).toBe(
      'Calls per dayNo data yet.',
    );
    expect(screen.getByRole('figure', { name: 'Queries' }).textContent).toBe('QueriesNo data yet.');
    expect(container.querySelector('.recharts-responsive-container')).toBeNull();
  });

  it('say so in Chinese too', () => {
    render(wrap(<LineChartCard title="每日呼叫" data={[]} xKey="day" series={[]} />, 'zh-HK'));
    expect(screen.getByRole('figure', { name: '每日呼叫' }).textContent).toContain('尚未有數據。');
  });

  it('draw a chart when there is a point', () => {
    const { container } = render(
      wrap(
        <LineChartCard
          title="Calls per day"
          data={[{ day: '4 Dec', calls: 3 }]}
          xKey="day"
          series={[{ key: 'calls', label: 'Calls' }]}
        />,
      ),
    );
    expect(screen.getByRole('figure', { name: 'Calls per day' }).textContent).not.toContain('No data yet.');
    expect(container.querySelector('.recharts-responsive-container')).not.toBeNull();
  });
});
