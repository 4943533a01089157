import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A table's scroll box. A table wider than its box (many columns, a phone) scrolls inside it
 * rather than widening the page; then the box says so above it, and becomes a named region in
 * the tab order so a keyboard can scroll it too (WCAG 2.1.1). A table that fits adds no tab stop.
 */
export function TableScroll({
  label,
  className,
  children,
}: {
  /** What the table holds: the region's name for a screen reader. */
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [isScrollable, setScrollable] = useState(false);
  useEffect(() => {
    const element = box.current;
    // Without layout (a test's DOM) nothing is measured and the box stays a plain one.
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => setScrollable(element.scrollWidth > element.clientWidth + 1);
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    // The table grows as rows arrive and columns change; the box may keep its own size.
    for (const child of Array.from(element.children)) observer.observe(child);
    measure();
    return () => observer.disconnect();
  }, []);
  return (
    <>
      {isScrollable && (
        <p className="scroll-hint" aria-hidden="true">
          {t('scrollSideways')}
        </p>
      )}
      <div
        ref={box}
        className={`table-wrap${className ? ` ${className}` : ''}${isScrollable ? ' is-scrollable' : ''}`}
        {...(isScrollable ? { role: 'region', 'aria-label': label, tabIndex: 0 } : {})}
      >
        {children}
      </div>
    </>
  );
}
