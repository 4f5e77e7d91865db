import clsx from 'clsx';
import type { InputHTMLAttributes, SelectHTMLAttributes } from 'react';

/** The look of every text box and select in filters and forms. */
export const CONTROL = 'rounded-md border border-slate-300 bg-white px-2 py-1.5';

/** Value and label of one option. */
export type Options = readonly (readonly [value: string, label: string])[];

type LabelProps = { label: string; hideLabel?: boolean; className?: string };

/** The small label above a control, the way filters and form fields are laid out. */
function LabelText({ label, hideLabel }: LabelProps) {
  return <span className={hideLabel ? 'sr-only' : 'text-xs text-slate-500'}>{label}</span>;
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'children'> & {
  options: Options;
  /** The label of the empty first option (no choice); without it every option is a value. */
  empty?: string;
  onValue: (value: string) => void;
};

/** A select of its own, labelled by the caller (aria-label, or a label around it). */
export function Select({ options, empty, onValue, className, ...props }: SelectProps) {
  return (
    <select {...props} onChange={(e) => onValue(e.target.value)} className={clsx(CONTROL, className)}>
      {empty === undefined ? null : <option value="">{empty}</option>}
      {options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}

export function SelectField({ label, hideLabel, className, ...select }: Omit<SelectProps, 'className'> & LabelProps) {
  return (
    <label className={clsx('flex flex-col', className)}>
      <LabelText label={label} hideLabel={hideLabel} />
      <Select {...select} />
    </label>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'className'> &
  LabelProps & { onValue: (value: string) => void };

export function TextField({ label, hideLabel, className, onValue, ...input }: TextFieldProps) {
  return (
    <label className={clsx('flex flex-col', className)}>
      <LabelText label={label} hideLabel={hideLabel} />
      <input {...input} onChange={(e) => onValue(e.target.value)} className={CONTROL} />
    </label>
  );
}

/** Checkboxes choosing any number of values, under a legend. */
export function CheckboxGroup({
  legend,
  options,
  values,
  onChange,
  className,
}: {
  legend: string;
  options: Options;
  values: readonly string[];
  onChange: (values: string[]) => void;
  className?: string;
}) {
  return (
    <fieldset className={clsx('flex flex-col', className)}>
      <legend className="text-xs text-slate-500">{legend}</legend>
      <div className="flex flex-wrap gap-3 py-1">
        {options.map(([value, label]) => (
          <label key={value} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={values.includes(value)}
              onChange={(e) => onChange(e.target.checked ? [...values, value] : values.filter((v) => v !== value))}
            />{' '}
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
