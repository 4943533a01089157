import { type KeyboardEvent, useRef } from 'react';

export interface TabItem<T extends string> {
  value: T;
  label: string;
}

/**
 * A row of tabs that filter one panel (WAI-ARIA tabs: arrow keys, Home and End move between tabs,
 * only the selected tab is in the tab order). The panel is the caller's, with id `panelId`.
 */
export function Tabs<T extends string>({
  label,
  items,
  value,
  onChange,
  panelId,
  idPrefix,
}: {
  label: string;
  items: TabItem<T>[];
  value: T;
  onChange: (value: T) => void;
  panelId: string;
  idPrefix: string;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (index: number) => {
    const count = items.length;
    const next = (index + count) % count;
    const item = items[next];
    if (!item) return;
    onChange(item.value);
    refs.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    if (event.key === 'ArrowRight') move(index + 1);
    else if (event.key === 'ArrowLeft') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else return;
    event.preventDefault();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {items.map((item, index) => {
        const isSelected = item.value === value;
        return (
          <button
            key={item.value}
            ref={(element) => {
              refs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-${item.value || 'all'}`}
            aria-selected={isSelected}
            aria-controls={panelId}
            tabIndex={isSelected ? 0 : -1}
            onClick={() => onChange(item.value)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
