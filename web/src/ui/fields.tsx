import { Checkbox, Field, Fieldset, Label, Select, Textfield, ValidationMessage } from '@digdir/designsystemet-react';
import { type ReactNode, useId } from 'react';
import type { Problem } from '../forms/rules';
import { useI18n } from '../i18n/i18n';

/** A problem from the client's checks (a message key) or from the server (its text). */
export type FieldError = Problem | string | undefined;

export function useErrorText() {
  const { t } = useI18n();
  return (error: FieldError): string | undefined => {
    if (!error) return undefined;
    if (typeof error === 'string') return t('errors.fieldRejected', { message: error });
    return t(error.key, error.params);
  };
}

interface TextProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: FieldError;
  description?: ReactNode;
  type?: 'text' | 'date' | 'number';
  inputMode?: 'numeric' | 'decimal' | 'text';
  multiline?: boolean;
  required?: boolean;
  counter?: number;
  disabled?: boolean;
  autoComplete?: string;
}

/** Designsystemet's text field with the form's error; `name` is the input field the server names. */
export function TextField({
  label,
  name,
  value,
  onChange,
  error,
  description,
  type,
  inputMode,
  multiline,
  required,
  counter,
  disabled,
  autoComplete,
}: TextProps) {
  const errorText = useErrorText()(error);
  const common = {
    label,
    name,
    value,
    error: errorText,
    description,
    required,
    disabled,
    ...(counter ? { counter } : {}),
    'data-field': name,
  };
  if (multiline) return <Textfield {...common} multiline rows={5} onChange={(e) => onChange(e.target.value)} />;
  return (
    <Textfield
      {...common}
      type={type ?? 'text'}
      inputMode={inputMode}
      autoComplete={autoComplete ?? 'off'}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

interface SelectProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: FieldError;
  description?: ReactNode;
  width?: 'full' | 'auto';
  disabled?: boolean;
}

export function SelectField({ label, name, value, onChange, options, error, description, width, disabled }: SelectProps) {
  const id = useId();
  const errorText = useErrorText()(error);
  return (
    <Field data-field={name}>
      <Label htmlFor={id}>{label}</Label>
      {description && <Field.Description>{description}</Field.Description>}
      <Select
        id={id}
        name={name}
        value={value}
        width={width}
        disabled={disabled}
        aria-invalid={errorText ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <Select.Option key={o.value} value={o.value}>
            {o.label}
          </Select.Option>
        ))}
      </Select>
      {errorText && <ValidationMessage>{errorText}</ValidationMessage>}
    </Field>
  );
}

interface ChecksProps<V extends string> {
  legend: string;
  name: string;
  values: readonly V[];
  onChange: (values: V[]) => void;
  options: { value: V; label: string }[];
  error?: FieldError;
  description?: ReactNode;
}

export function CheckboxGroup<V extends string>({ legend, name, values, onChange, options, error, description }: ChecksProps<V>) {
  const errorText = useErrorText()(error);
  return (
    <Fieldset data-field={name}>
      <Fieldset.Legend>{legend}</Fieldset.Legend>
      {description && <Fieldset.Description>{description}</Fieldset.Description>}
      {options.map((o) => (
        <Checkbox
          key={o.value}
          label={o.label}
          name={name}
          value={o.value}
          checked={values.includes(o.value)}
          aria-invalid={errorText ? true : undefined}
          onChange={(e) => onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))}
        />
      ))}
      {errorText && <ValidationMessage>{errorText}</ValidationMessage>}
    </Fieldset>
  );
}
